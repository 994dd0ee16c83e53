/**
 * The {@code usher} command line ({@link io.usher.examples.cli.UsherCli}): test-connection, preview, sync and
 * explain for a source configured by a properties file, with documented exit codes
 * ({@link io.usher.examples.cli.ExitCode}). Everything but the entry point is package-private.
 */
package io.usher.examples.cli;
