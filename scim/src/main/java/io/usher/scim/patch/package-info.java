/**
 * SCIM PATCH (RFC 7644 §3.5.2): {@link io.usher.scim.patch.PatchRequest} parses a {@code PatchOp} body into
 * {@link io.usher.scim.patch.PatchOperation}s, and {@link io.usher.scim.patch.PatchApplier} applies them, all or
 * nothing, to a copy of a resource's JSON with mutability enforced from the schema. Operations on group
 * {@code members} become {@link io.usher.scim.patch.MemberChange}s for the caller to apply to its store. Every
 * client deviation from the RFC that is tolerated lives in the package-private {@code PatchQuirks}, each with the
 * payload that needs it.
 */
package io.usher.scim.patch;
