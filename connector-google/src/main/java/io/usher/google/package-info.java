/**
 * The Google Workspace source connector: reads users, groups and members through the Admin SDK Directory API
 * with a service account and domain-wide delegation, skips unchanged users by etag, and keeps nested groups as
 * group-in-group edges. Public API: {@link io.usher.google.GoogleConfig} and
 * {@link io.usher.google.GoogleSourceConnector}; type {@code google} for flat configuration.
 */
package io.usher.google;
