/**
 * SCIM schemas (RFC 7643): {@link io.usher.scim.schema.AttributeDefinition}s with their characteristics
 * (type, multiValued, caseExact, mutability, returned, uniqueness, required, canonicalValues, subAttributes), the
 * core User and Group schemas and the Enterprise User extension in {@link io.usher.scim.schema.Schemas},
 * {@link io.usher.scim.schema.ResourceType}, which resolves attribute paths case-insensitively (URN-prefixed or
 * not), and {@link io.usher.scim.schema.SchemaJson}, which renders the {@code /Schemas} and {@code /ResourceTypes}
 * representations. The filter evaluator and the PATCH applier read their case and mutability rules from here.
 */
package io.usher.scim.schema;
