/**
 * The SCIM server's implementation: the JAX-RS endpoint, the service behind it (every write through the
 * engine's push route), the mapping between SCIM JSON and Usher's model, client quirks, Bulk, lists and
 * projections. Not API: hosts use {@link io.usher.scim.ScimServer}.
 */
package io.usher.scim.internal;
