/**
 * Explaining a login without changing anything: {@link io.usher.jit.explain.LoginExplainer} takes a SAML Response
 * or an ID token and answers with a {@link io.usher.jit.explain.LoginExplanation}: each validation check with its
 * verdict (from the validators' own dry runs, which use no single-use state up), the user JIT provisioning would
 * create or update and the steps that made its username, and the memberships it would change with the rule behind
 * each. The host's store is only read.
 */
package io.usher.jit.explain;
