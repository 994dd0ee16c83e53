/**
 * Runs testkit's contract tests against core's implementations, from a package other than the contracts'
 * own, as a host project would.
 */
package io.usher.testkit.contracts;
