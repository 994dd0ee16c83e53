/** Just-in-time provisioning from SAML and OIDC logins, and websudo re-authentication at the IdP. */
package io.usher.jit;
