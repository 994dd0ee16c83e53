/**
 * Plumbing shared by the stateful fake identity-provider APIs in testkit ({@code graph}, {@code okta},
 * {@code google}): the loopback HTTP server they run on and their opaque, tamper-evident page tokens. Not API:
 * public only so the fakes in sibling packages can use it; it may change without notice.
 */
package io.usher.testkit.internal;
