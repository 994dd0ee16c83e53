/**
 * The runnable demo ({@code ./demo.sh}): a generated organisation in testkit's in-memory directory, served over
 * LDAP and as a fake Entra ID tenant on loopback, synced through the real LDAP and Entra ID connectors into
 * in-memory stores (preview, full sync, incremental changes, the mass-deletion guard refusing), then a second
 * application fed by the push routes: the SCIM server on Jersey, JIT logins with a signed SAML Response and an
 * OIDC ID token, and websudo (a fresh re-authentication accepted, a stale one refused). Narration goes to
 * standard output, the progress line to standard error. {@link io.usher.examples.demo.Demo} is the entry point.
 */
package io.usher.examples.demo;
