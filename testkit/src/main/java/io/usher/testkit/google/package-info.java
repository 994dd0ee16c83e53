/**
 * A stateful fake of the Google Workspace Admin SDK Directory API and Google's OAuth token endpoint, serving an
 * {@link io.usher.testkit.InMemoryDirectory} on loopback: service-account JWT grants with domain-wide
 * delegation, {@code users.list}, {@code groups.list}, {@code members.list} with paging, partial responses
 * ({@code fields=}) and etags, and throttling (403 rate-limit reasons, 429) and 5xx injection. Entry point:
 * {@link io.usher.testkit.google.GoogleDirectoryServer}.
 */
package io.usher.testkit.google;
