package io.usher.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.schema.AttributeDefinition;
import io.usher.scim.schema.AttributeType;
import io.usher.scim.schema.ResourceType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Evaluates filters against resources in their SCIM JSON representation (RFC 7644 §3.4.2.2), with the rules of the
 * resource type's schemas:
 * <ul>
 *   <li>attribute names and schema URNs are case-insensitive; extension attributes are read from the extension's
 *       object ({@code "urn:...:enterprise:2.0:User": {"department": ...}});</li>
 *   <li>strings compare case-exactly only when the attribute is {@code caseExact} (unknown attributes: not);</li>
 *   <li>a multi-valued attribute matches when any of its values matches; a complex attribute compared without a
 *       sub-attribute ({@code emails co "@x"}) compares its {@code value} sub-attribute;</li>
 *   <li>{@code ne} is the negation of {@code eq}: it matches when no value equals, also when there is none;</li>
 *   <li>{@code pr} matches a non-empty value: null, {@code ""}, {@code []} and {@code {}} are not present;</li>
 *   <li>booleans, numbers and dateTimes compare as such (dateTimes as instants, a missing offset meaning UTC);
 *       {@code gt ge lt le} on a boolean or binary attribute, {@code co sw ew} on a boolean, number or dateTime
 *       attribute, or a value of the wrong kind (e.g. {@code active eq 3}) are 400 {@code invalidFilter};</li>
 *   <li>an attribute the schemas do not define is compared by the JSON kind of its values, and an absent one
 *       matches nothing (but {@code ne} and {@code not}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class FilterEvaluator {

    private final ResourceType resourceType;

    private FilterEvaluator(ResourceType resourceType) {
        this.resourceType = resourceType;
    }

    /** An evaluator for resources of that type (e.g. {@link io.usher.scim.schema.Schemas#USER_RESOURCE}). */
    public static FilterEvaluator forResourceType(ResourceType resourceType) {
        return new FilterEvaluator(Objects.requireNonNull(resourceType, "resourceType"));
    }

    /**
     * Checks the filter against the schema once and returns a predicate over resources; use it for a candidate set.
     *
     * @throws ScimException 400 {@code invalidFilter} when an operator does not apply to an attribute's type
     */
    public Predicate<JsonNode> predicate(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        filter.accept(new Validator(new ResourceScope(null)));
        return resource -> filter.accept(new Matcher(new ResourceScope(resource)));
    }

    /**
     * A predicate over the values of one multi-valued (or complex) attribute: whether a value matches a value
     * filter, as {@code emails[type eq "work"]} would select it. The PATCH applier uses it to find the values a
     * path such as {@code emails[type eq "work"].value} targets.
     *
     * @throws ScimException 400 {@code invalidFilter} when an operator does not apply to a sub-attribute's type
     */
    public Predicate<JsonNode> valuePredicate(AttributePath attribute, Filter valueFilter) {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(valueFilter, "valueFilter");
        AttributeDefinition def = resourceType.resolve(attribute.schema(), attribute.name(), null)
                .map(ResourceType.Resolved::attribute).orElse(null);
        new Validator(new ResourceScope(null)).visitValuePath(new Filter.ValuePath(attribute.parent(), valueFilter));
        return value -> value != null && value.isObject()
                && valueFilter.accept(new Matcher(new ElementScope(value, def)));
    }

    /**
     * Whether the resource matches.
     *
     * @throws ScimException 400 {@code invalidFilter} when an operator does not apply to an attribute's type
     */
    public boolean matches(Filter filter, JsonNode resource) {
        Objects.requireNonNull(resource, "resource");
        return predicate(filter).test(resource);
    }

    // ---- where attribute values come from ----------------------------------------------------------------------

    /** A value found for a path, with the definition that governs it (null when unknown). */
    private record Typed(JsonNode node, AttributeDefinition def) {
    }

    private interface Scope {
        /** The definition of the attribute a path names (its sub-attribute if any), or null. */
        AttributeDefinition definition(AttributePath path);

        /** The definition of the attribute itself (ignoring any sub-attribute), or null. */
        AttributeDefinition attributeDefinition(AttributePath path);

        /** The raw values of the attribute (array elements flattened), ignoring the sub-attribute. */
        List<JsonNode> attributeValues(AttributePath path);
    }

    private final class ResourceScope implements Scope {
        private final JsonNode resource;

        ResourceScope(JsonNode resource) {
            this.resource = resource;
        }

        @Override
        public AttributeDefinition definition(AttributePath p) {
            return resourceType.resolve(p.schema(), p.name(), p.subAttribute())
                    .map(ResourceType.Resolved::target).orElse(null);
        }

        @Override
        public AttributeDefinition attributeDefinition(AttributePath p) {
            return resourceType.resolve(p.schema(), p.name(), null).map(ResourceType.Resolved::attribute)
                    .orElse(null);
        }

        @Override
        public List<JsonNode> attributeValues(AttributePath p) {
            Optional<ResourceType.Resolved> r = resourceType.resolve(p.schema(), p.name(), null);
            JsonNode container;
            if (r.isPresent() && !r.get().schema().id().equalsIgnoreCase(resourceType.schema().id())) {
                container = field(resource, r.get().schema().id());
            } else if (r.isPresent() || p.schema() == null || p.schema().equalsIgnoreCase(resourceType.schema().id())) {
                container = resource;
            } else {
                container = field(resource, p.schema()); // an extension the resource type does not declare
            }
            return flatten(field(container, p.name()));
        }
    }

    private static final class ElementScope implements Scope {
        private final JsonNode element;
        private final AttributeDefinition parent;

        ElementScope(JsonNode element, AttributeDefinition parent) {
            this.element = element;
            this.parent = parent;
        }

        @Override
        public AttributeDefinition definition(AttributePath p) {
            return p.subAttribute() != null ? null : attributeDefinition(p);
        }

        @Override
        public AttributeDefinition attributeDefinition(AttributePath p) {
            return parent == null ? null : parent.subAttribute(p.name()).orElse(null);
        }

        @Override
        public List<JsonNode> attributeValues(AttributePath p) {
            return flatten(field(element, p.name()));
        }
    }

    /** The values a comparison looks at: sub-attributes picked out, complex values replaced by their "value". */
    private static List<Typed> comparable(Scope scope, AttributePath p) {
        AttributeDefinition attrDef = scope.attributeDefinition(p);
        List<Typed> out = new ArrayList<>();
        for (JsonNode v : scope.attributeValues(p)) {
            if (p.subAttribute() != null) {
                AttributeDefinition subDef = attrDef == null ? null : attrDef.subAttribute(p.subAttribute()).orElse(null);
                for (JsonNode s : flatten(field(v, p.subAttribute()))) {
                    out.add(new Typed(s, subDef));
                }
            } else if (v.isObject()) {
                AttributeDefinition valueDef = attrDef == null ? null : attrDef.subAttribute("value").orElse(null);
                for (JsonNode s : flatten(field(v, "value"))) {
                    out.add(new Typed(s, valueDef));
                }
            } else {
                out.add(new Typed(v, attrDef));
            }
        }
        return out;
    }

    // ---- validation (once per filter) --------------------------------------------------------------------------

    private final class Validator implements FilterVisitor<Void> {
        private final Scope scope;

        Validator(Scope scope) {
            this.scope = scope;
        }

        @Override
        public Void visitComparison(Filter.Comparison c) {
            AttributeDefinition def = scope.definition(c.path());
            if (def != null && def.isComplex()) {
                def = def.subAttribute("value").orElse(null);
            }
            if (def != null) {
                checkApplies(c, def.type());
            } else if (c.op().isOrdering() && (c.value().kind() == Literal.Kind.BOOLEAN
                    || c.value().kind() == Literal.Kind.NULL)) {
                throw invalid("'" + c.op().token() + "' cannot order " + kindName(c.value()) + " (attribute '"
                        + c.path() + "')");
            } else if (c.op().isSubstring() && c.value().kind() != Literal.Kind.STRING) {
                throw invalid("'" + c.op().token() + "' needs a string value (attribute '" + c.path() + "')");
            }
            return null;
        }

        private void checkApplies(Filter.Comparison c, AttributeType type) {
            String where = " (attribute '" + c.path() + "' is " + type.wire() + ")";
            Literal.Kind kind = c.value().kind();
            if (c.op().isOrdering() && (type == AttributeType.BOOLEAN || type == AttributeType.BINARY)) {
                throw invalid("'" + c.op().token() + "' cannot compare a " + type.wire() + " attribute" + where);
            }
            if (c.op().isSubstring() && (type == AttributeType.BOOLEAN || type == AttributeType.DECIMAL
                    || type == AttributeType.INTEGER || type == AttributeType.DATE_TIME)) {
                throw invalid("'" + c.op().token() + "' applies to strings only" + where);
            }
            if (kind == Literal.Kind.NULL) {
                if (c.op() != CompareOp.EQ && c.op() != CompareOp.NE) {
                    throw invalid("only 'eq' and 'ne' take null" + where);
                }
                return;
            }
            boolean ok = switch (type) {
                case BOOLEAN -> kind == Literal.Kind.BOOLEAN || (kind == Literal.Kind.STRING
                        && parseBoolean(c.value().asString()) != null);
                case DECIMAL, INTEGER -> kind == Literal.Kind.NUMBER || (kind == Literal.Kind.STRING
                        && parseNumber(c.value().asString()) != null);
                case DATE_TIME -> kind == Literal.Kind.STRING && parseInstant(c.value().asString()) != null;
                case STRING, REFERENCE, BINARY -> kind == Literal.Kind.STRING || kind == Literal.Kind.NUMBER;
                case COMPLEX -> false;
            };
            if (!ok) {
                throw invalid("the value compared with '" + c.path() + "' must be "
                        + switch (type) {
                            case BOOLEAN -> "true or false";
                            case DECIMAL, INTEGER -> "a number";
                            case DATE_TIME -> "a string holding an xsd:dateTime such as \"2011-05-13T04:42:34Z\"";
                            default -> "a string";
                        } + ", not " + kindName(c.value()));
            }
        }

        @Override
        public Void visitPresent(Filter.Present p) {
            return null;
        }

        @Override
        public Void visitAnd(Filter.And and) {
            and.operands().forEach(f -> f.accept(this));
            return null;
        }

        @Override
        public Void visitOr(Filter.Or or) {
            or.operands().forEach(f -> f.accept(this));
            return null;
        }

        @Override
        public Void visitNot(Filter.Not not) {
            return not.filter().accept(this);
        }

        @Override
        public Void visitValuePath(Filter.ValuePath vp) {
            AttributeDefinition def = scope.attributeDefinition(vp.attribute());
            if (def != null && !def.isComplex()) {
                throw invalid("'" + vp.attribute() + "' has no sub-attributes to filter on");
            }
            return vp.filter().accept(new Validator(new ElementScope(null, def)));
        }
    }

    private static String kindName(Literal l) {
        return switch (l.kind()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> l.value().toString();
            case NULL -> "null";
        };
    }

    private static ScimException invalid(String message) {
        return ScimException.badRequest(ScimType.invalidFilter, message);
    }

    // ---- matching ----------------------------------------------------------------------------------------------

    private static final class Matcher implements FilterVisitor<Boolean> {
        private final Scope scope;

        Matcher(Scope scope) {
            this.scope = scope;
        }

        @Override
        public Boolean visitComparison(Filter.Comparison c) {
            List<Typed> values = comparable(scope, c.path());
            values.removeIf(t -> t.node() == null || t.node().isNull());
            if (c.value().kind() == Literal.Kind.NULL) {
                return (c.op() == CompareOp.EQ) == values.isEmpty();
            }
            if (c.op() == CompareOp.NE) {
                return values.stream().noneMatch(t -> compare(t, CompareOp.EQ, c.value()));
            }
            return values.stream().anyMatch(t -> compare(t, c.op(), c.value()));
        }

        @Override
        public Boolean visitPresent(Filter.Present p) {
            List<JsonNode> raw = scope.attributeValues(p.path());
            if (p.path().subAttribute() == null) {
                return raw.stream().anyMatch(Matcher::isPresent);
            }
            for (JsonNode v : raw) {
                for (JsonNode s : flatten(field(v, p.path().subAttribute()))) {
                    if (isPresent(s)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean isPresent(JsonNode n) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return false;
            }
            if (n.isTextual()) {
                return !n.textValue().isEmpty();
            }
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (isPresent(e)) {
                        return true;
                    }
                }
                return false;
            }
            if (n.isObject()) {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    if (isPresent(e.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }

        @Override
        public Boolean visitAnd(Filter.And and) {
            for (Filter f : and.operands()) {
                if (!f.accept(this)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Boolean visitOr(Filter.Or or) {
            for (Filter f : or.operands()) {
                if (f.accept(this)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Boolean visitNot(Filter.Not not) {
            return !not.filter().accept(this);
        }

        @Override
        public Boolean visitValuePath(Filter.ValuePath vp) {
            AttributeDefinition def = scope.attributeDefinition(vp.attribute());
            for (JsonNode element : scope.attributeValues(vp.attribute())) {
                if (element.isObject() && vp.filter().accept(new Matcher(new ElementScope(element, def)))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One value against the literal; values of the wrong kind simply do not match. */
    static boolean compare(Typed t, CompareOp op, Literal lit) {
        JsonNode node = t.node();
        AttributeType type = t.def() != null ? t.def().type() : inferType(node);
        boolean caseExact = t.def() != null && t.def().caseExact();
        switch (type) {
            case BOOLEAN -> {
                Boolean actual = node.isBoolean() ? Boolean.valueOf(node.booleanValue())
                        : node.isTextual() ? parseBoolean(node.textValue()) : null;
                Boolean expected = lit.kind() == Literal.Kind.BOOLEAN ? (Boolean) lit.value()
                        : lit.kind() == Literal.Kind.STRING ? parseBoolean(lit.asString()) : null;
                return actual != null && expected != null && op == CompareOp.EQ && actual.equals(expected);
            }
            case DECIMAL, INTEGER -> {
                BigDecimal actual = node.isNumber() ? node.decimalValue()
                        : node.isTextual() ? parseNumber(node.textValue()) : null;
                BigDecimal expected = lit.kind() == Literal.Kind.NUMBER ? (BigDecimal) lit.value()
                        : lit.kind() == Literal.Kind.STRING ? parseNumber(lit.asString()) : null;
                return actual != null && expected != null && !op.isSubstring() && order(op, actual.compareTo(expected));
            }
            case DATE_TIME -> {
                Instant actual = node.isTextual() ? parseInstant(node.textValue()) : null;
                Instant expected = lit.kind() == Literal.Kind.STRING ? parseInstant(lit.asString()) : null;
                return actual != null && expected != null && !op.isSubstring() && order(op, actual.compareTo(expected));
            }
            default -> {
                if (!node.isValueNode() || lit.kind() == Literal.Kind.BOOLEAN || lit.kind() == Literal.Kind.NULL) {
                    return false;
                }
                String actual = node.asText();
                String expected = lit.kind() == Literal.Kind.NUMBER ? ((BigDecimal) lit.value()).toPlainString()
                        : lit.asString();
                if (!caseExact) {
                    actual = actual.toLowerCase(Locale.ROOT);
                    expected = expected.toLowerCase(Locale.ROOT);
                }
                return switch (op) {
                    case CO -> actual.contains(expected);
                    case SW -> actual.startsWith(expected);
                    case EW -> actual.endsWith(expected);
                    default -> order(op, Integer.signum(actual.compareTo(expected)));
                };
            }
        }
    }

    private static boolean order(CompareOp op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            default -> false;
        };
    }

    private static AttributeType inferType(JsonNode node) {
        if (node.isBoolean()) {
            return AttributeType.BOOLEAN;
        }
        if (node.isNumber()) {
            return AttributeType.DECIMAL;
        }
        return AttributeType.STRING;
    }

    static Boolean parseBoolean(String s) {
        if ("true".equalsIgnoreCase(s)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(s)) {
            return Boolean.FALSE;
        }
        return null;
    }

    static BigDecimal parseNumber(String s) {
        if (s.length() > 100) {
            return null;
        }
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An xsd:dateTime as an instant; no offset means UTC; null when it is not one. */
    static Instant parseInstant(String s) {
        if (s.length() > 64) {
            return null;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
            return t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- JSON helpers ------------------------------------------------------------------------------------------

    /** The member of an object whose name equals {@code name} ignoring case (exact match preferred); or null. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static List<JsonNode> flatten(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(e -> {
                if (e != null && !e.isNull()) {
                    out.add(e);
                }
            });
        } else {
            out.add(node);
        }
        return out;
    }
}
