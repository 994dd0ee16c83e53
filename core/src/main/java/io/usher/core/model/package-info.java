/**
 * The values Usher moves: {@link io.usher.core.model.User}, {@link io.usher.core.model.Group} and the
 * {@link io.usher.core.model.Origin} that ties each to the source that owns it. All immutable records
 * that validate on construction; messages name the field, never the value.
 */
package io.usher.core.model;
