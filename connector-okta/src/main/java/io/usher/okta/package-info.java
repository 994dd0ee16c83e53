/**
 * The Okta connector: {@link io.usher.okta.OktaSourceConnector} reads users, groups and group members from
 * Okta's management API (snapshot), and what changed since a timestamp cursor from the users and groups filters
 * and the System Log (incremental), paced by Okta's rate-limit headers. {@link io.usher.okta.OktaConfig} holds
 * its settings (SSWS API token, or an OAuth 2.0 service app with {@code private_key_jwt} and optional DPoP);
 * {@link io.usher.okta.OktaConnectorProvider} registers the type {@code okta} for flat configuration.
 */
package io.usher.okta;
