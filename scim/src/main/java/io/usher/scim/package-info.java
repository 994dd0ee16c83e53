/** SCIM 2.0 server resources (RFC 7643/7644) for any JAX-RS runtime. */
package io.usher.scim;
