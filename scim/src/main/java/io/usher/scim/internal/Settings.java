package io.usher.scim.internal;

import io.usher.core.ProvisioningEngine;
import io.usher.scim.ScimAuthenticator;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the server was built with (validated by {@code ScimServer.Builder}). Immutable.
 *
 * @param maxPayloadBytes largest request body (413 beyond it)
 * @param maxResults largest page; a larger {@code count} is lowered to it
 * @param maxSortedResults most matches a sorted list may have (400 tooMany beyond it)
 * @param maxBulkOperations most operations in one Bulk request (413 beyond it)
 * @param maxFilterLength longest filter (400 invalidFilter beyond it)
 * @param maxFilterCandidates most records a filter without a pushable equality may examine (400 tooMany beyond)
 * @param requestIds where each request's id comes from (for the audit trail and the MDC)
 */
public record Settings(ProvisioningEngine engine, String sourceId, ScimAuthenticator authenticator, Clock clock,
                       Supplier<String> ids, long maxPayloadBytes, int maxResults, int defaultCount,
                       int maxSortedResults, int maxBulkOperations, int maxFilterLength, int maxFilterCandidates,
                       String baseUri, Supplier<String> requestIds) {}
