/**
 * SCIM filters and paths (RFC 7644 §3.4.2.2, §3.10, §3.5.2): the hand-written {@link io.usher.scim.filter.FilterParser},
 * the immutable {@link io.usher.scim.filter.Filter} tree with its visitor and canonical printer,
 * {@link io.usher.scim.filter.AttributePath} (for {@code attributes}, {@code excludedAttributes}, {@code sortBy}),
 * {@link io.usher.scim.filter.PatchPath}, the in-memory {@link io.usher.scim.filter.FilterEvaluator} over SCIM JSON,
 * and {@link io.usher.scim.filter.Pushdown}, which tells a store which equality terms it can answer from an index.
 * Every client mistake is an {@link io.usher.scim.ScimException} (400 {@code invalidFilter} / {@code invalidPath}).
 */
package io.usher.scim.filter;
