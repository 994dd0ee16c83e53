/**
 * Filters and transformations: which users and groups of a source take part, and what username and
 * fields they get in the host. {@link io.usher.core.pipeline.Pipeline#preview} explains one record.
 */
package io.usher.core.pipeline;
