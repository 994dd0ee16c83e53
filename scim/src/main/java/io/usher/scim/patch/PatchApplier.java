package io.usher.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.filter.AttributePath;
import io.usher.scim.filter.CompareOp;
import io.usher.scim.filter.Filter;
import io.usher.scim.filter.FilterEvaluator;
import io.usher.scim.filter.Literal;
import io.usher.scim.filter.PatchPath;
import io.usher.scim.schema.AttributeDefinition;
import io.usher.scim.schema.Mutability;
import io.usher.scim.schema.ResourceType;
import io.usher.scim.schema.Schema;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource in its SCIM JSON representation, all or nothing: it
 * works on a deep copy, so when any operation fails the whole request fails with a {@link ScimException} naming the
 * operation ({@code Operations[2]: ...}) and the caller's resource is untouched.
 *
 * <p>Semantics: add to a multi-valued attribute is a union (a value with the same {@code value} and type is
 * merged, not duplicated); add to a single-valued attribute replaces it; replace of a complex single-valued
 * attribute replaces the sub-attributes given and keeps the others; a value filter selects values
 * ({@code emails[type eq "work"].value}); replace or remove through a filter that matches nothing is
 * {@code noTarget}; setting one value {@code primary} clears {@code primary} on the others. Mutability comes from
 * the schema: a path at a readOnly attribute ({@code id}, {@code meta}, {@code groups}) or an immutable value that
 * would change is 400 {@code mutability}; readOnly sub-attributes inside a whole new value are dropped; write-only
 * attributes ({@code password}) are accepted but not written (listed in {@link PatchResult#ignoredWriteOnly()}).
 * Unknown attributes are {@code invalidPath}; values of the wrong type {@code invalidValue}. Client quirks are
 * normalised by {@code PatchQuirks}.
 *
 * <p>Group members: when members are intercepted (the default for a resource type with {@code members}), no
 * operation on {@code members} touches the JSON; each becomes a {@link MemberChange} for the caller to apply to its
 * store, so adding one member to a group of 100,000 costs the same as to a group of 10. Only
 * {@code value eq "id"} filters (joined by {@code or}) select members to remove.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchApplier {

    /**
     * The most values one multi-valued attribute of a resource may hold (emails, phoneNumbers, addresses, roles...;
     * group members are never held in the JSON, so they have no such cap). More is 400 {@code invalidValue}.
     */
    public static final int MAX_VALUES = 1000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ResourceType type;
    private final boolean interceptMembers;
    private final FilterEvaluator evaluator;

    private PatchApplier(ResourceType type, boolean interceptMembers) {
        this.type = type;
        this.interceptMembers = interceptMembers;
        this.evaluator = FilterEvaluator.forResourceType(type);
    }

    /** An applier for that resource type; it intercepts {@code members} when the core schema has them. */
    public static PatchApplier forResourceType(ResourceType type) {
        Objects.requireNonNull(type, "type");
        return new PatchApplier(type, type.schema().attribute("members").isPresent());
    }

    /** An applier that intercepts {@code members} or applies them to the JSON like any attribute. */
    public static PatchApplier forResourceType(ResourceType type, boolean interceptMembers) {
        Objects.requireNonNull(type, "type");
        return new PatchApplier(type, interceptMembers);
    }

    /** Whether operations on {@code members} become {@link MemberChange}s. */
    public boolean interceptsMembers() {
        return interceptMembers;
    }

    /**
     * Applies the request to a copy of the resource.
     *
     * @param resource the resource as it is now; not changed
     * @throws ScimException 400 for the first operation that fails (nothing is applied)
     */
    public PatchResult apply(ObjectNode resource, PatchRequest request) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(request, "request");
        Run run = new Run(resource.deepCopy());
        List<PatchOperation> ops = request.operations();
        for (int i = 0; i < ops.size(); i++) {
            try {
                run.apply(ops.get(i));
            } catch (ScimException e) {
                throw ScimException.of(e.status(), e.scimType(), "Operations[" + i + "]: " + e.getMessage(), e);
            }
        }
        run.checkRequired(resource);
        return new PatchResult(run.root, run.memberChanges, run.ignored, !run.root.equals(resource));
    }

    /** A resolved target: where in the resource a path points. */
    private record Target(Schema schema, AttributeDefinition attribute, AttributeDefinition sub, Filter filter,
                          AttributePath path, String text) {
    }

    /** The state of one application. */
    private final class Run {
        final ObjectNode root;
        final List<MemberChange> memberChanges = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();

        Run(ObjectNode root) {
            this.root = root;
        }

        void apply(PatchOperation op) {
            if (op.path() == null) {
                for (Map.Entry<AttributePath, JsonNode> e : PatchQuirks.pathlessEntries((ObjectNode) op.value(), type)) {
                    Target t = resolve(PatchPath.of(e.getKey()));
                    if (t.attribute().mutability() == Mutability.READ_ONLY
                            || (t.sub() != null && t.sub().mutability() == Mutability.READ_ONLY)) {
                        if (PatchQuirks.isUnchangedReadOnly(e.getValue(), current(t))) {
                            continue;
                        }
                        throw mutability("'" + t.text() + "' is readOnly");
                    }
                    applyTo(op.op(), t, e.getValue());
                }
                return;
            }
            PatchPath path = op.path();
            Optional<Schema> wholeExtension = wholeExtension(path);
            if (wholeExtension.isPresent()) {
                applyToExtension(op, wholeExtension.get());
                return;
            }
            Target t = resolve(path);
            if (t.attribute().mutability() == Mutability.READ_ONLY) {
                throw mutability("'" + t.attribute().name() + "' is readOnly");
            }
            if (t.sub() != null && t.sub().mutability() == Mutability.READ_ONLY) {
                throw mutability("'" + t.attribute().name() + "." + t.sub().name() + "' is readOnly");
            }
            applyTo(op.op(), t, op.value());
        }

        /** {@code path: "urn:...:enterprise:2.0:User"}: the value is an object of that extension's attributes. */
        private Optional<Schema> wholeExtension(PatchPath path) {
            AttributePath a = path.attribute();
            if (a.schema() == null || a.subAttribute() != null || path.hasValueFilter()) {
                return Optional.empty();
            }
            return type.extension(a.schema() + ":" + a.name());
        }

        private void applyToExtension(PatchOperation op, Schema ext) {
            if (op.op() == PatchOperation.Op.REMOVE) {
                removeField(root, ext.id());
                removeSchemaUrn(ext.id());
                return;
            }
            if (!op.value().isObject()) {
                throw ScimException.badRequest(ScimType.invalidValue, "the value for '" + ext.id()
                        + "' must be an object of its attributes");
            }
            ObjectNode wrapped = JSON.objectNode();
            wrapped.set(ext.id(), op.value());
            apply(new PatchOperation(op.op(), null, wrapped));
        }

        private Target resolve(PatchPath path) {
            AttributePath a = path.attribute();
            String text = path.toString();
            ResourceType.Resolved r = type.resolve(a.schema(), a.name(), null).orElseThrow(() ->
                    ScimException.badRequest(ScimType.invalidPath, "'" + a.parent().withSubAttribute(null)
                            + "' is not an attribute of " + type.name()));
            AttributeDefinition attr = r.attribute();
            String subName = path.targetSubAttribute();
            AttributeDefinition sub = null;
            if (subName != null) {
                if (!attr.isComplex()) {
                    throw ScimException.badRequest(ScimType.invalidPath, "'" + attr.name() + "' has no sub-attributes");
                }
                sub = attr.subAttribute(subName).orElseThrow(() -> ScimException.badRequest(ScimType.invalidPath,
                        "'" + attr.name() + "' has no sub-attribute '" + subName + "'"));
            }
            if (path.hasValueFilter() && !(attr.multiValued() && attr.isComplex())) {
                throw ScimException.badRequest(ScimType.invalidPath, "a value filter selects values of a multi-valued "
                        + "complex attribute; '" + attr.name() + "' is not one");
            }
            return new Target(r.schema(), attr, sub, path.valueFilter(), a, text);
        }

        // ---- dispatch ------------------------------------------------------------------------------------------

        private void applyTo(PatchOperation.Op op, Target t, JsonNode value) {
            if (interceptMembers && t.attribute().name().equals("members")
                    && t.schema().id().equalsIgnoreCase(type.schema().id())) {
                members(op, t, value);
                return;
            }
            AttributeDefinition target = t.sub() != null ? t.sub() : t.attribute();
            if (target.mutability() == Mutability.WRITE_ONLY || t.attribute().mutability() == Mutability.WRITE_ONLY) {
                ignored.add(t.text());
                return;
            }
            Set<JsonNode> primariesBefore = primaries(t);
            switch (op) {
                case ADD -> add(t, value);
                case REPLACE -> replace(t, value);
                case REMOVE -> remove(t, value);
            }
            enforcePrimary(t, primariesBefore);
        }

        // ---- add -----------------------------------------------------------------------------------------------

        private void add(Target t, JsonNode value) {
            AttributeDefinition attr = t.attribute();
            if (t.filter() != null) {
                List<ObjectNode> matches = matching(t);
                if (matches.isEmpty()) {
                    ObjectNode created = PatchQuirks.valueDescribedBy(t.filter()).orElseThrow(() ->
                            noTarget("the filter of '" + t.text() + "' matches no value"));
                    ObjectNode element = (ObjectNode) normalize(created, attr, attr.name());
                    if (t.sub() != null) {
                        putOrRemove(element, t.sub().name(), normalize(value, t.sub(), t.text()));
                    } else {
                        merge(element, requireObject(normalize(value, attr, t.text()), t.text()));
                    }
                    array(t, true).add(element);
                    return;
                }
                setOnMatches(t, matches, value, false);
                return;
            }
            if (t.sub() != null) {
                if (attr.multiValued()) {
                    throw ScimException.badRequest(ScimType.invalidPath, "'" + t.text() + "' names no single value; "
                            + "select one with a filter, e.g. '" + attr.name() + "[type eq \"work\"]."
                            + t.sub().name() + "'");
                }
                setSub(complex(t, true), t.sub(), normalize(value, t.sub(), t.text()), t.text());
                return;
            }
            if (attr.multiValued()) {
                List<JsonNode> values = normalizeAll(value, attr, t.text());
                ArrayNode arr = array(t, true);
                if (arr.size() + values.size() > MAX_VALUES) {
                    // security review: each added value is compared with every held one, so an unbounded add costs
                    // quadratic time (40,000 emails in 0.9 MB took two minutes); group members never come here
                    throw ScimException.badRequest(ScimType.invalidValue, "'" + t.text() + "' would hold "
                            + (arr.size() + values.size()) + " values; at most " + MAX_VALUES + " are accepted");
                }
                for (JsonNode v : values) {
                    JsonNode existing = find(arr, v, attr);
                    if (existing == null) {
                        arr.add(v);
                    } else if (existing.isObject() && v.isObject()) {
                        merge((ObjectNode) existing, (ObjectNode) v);
                    }
                }
                if (arr.isEmpty()) {
                    removeField(container(t, false), attr.name());
                }
                return;
            }
            if (PatchQuirks.addReplacesSingleValue(attr)) {
                replace(t, value);
            }
        }

        // ---- replace -------------------------------------------------------------------------------------------

        private void replace(Target t, JsonNode value) {
            AttributeDefinition attr = t.attribute();
            if (t.filter() != null) {
                List<ObjectNode> matches = matching(t);
                if (matches.isEmpty()) {
                    throw noTarget("the filter of '" + t.text() + "' matches no value");
                }
                setOnMatches(t, matches, value, true);
                return;
            }
            if (t.sub() != null) {
                JsonNode v = normalize(value, t.sub(), t.text());
                if (attr.multiValued()) {
                    List<ObjectNode> all = elements(t);
                    if (all.isEmpty()) {
                        throw noTarget("'" + attr.name() + "' has no values to set '" + t.sub().name() + "' on");
                    }
                    for (ObjectNode e : all) {
                        setSub(e, t.sub(), v, t.text());
                    }
                } else {
                    setSub(complex(t, true), t.sub(), v, t.text());
                }
                return;
            }
            if (attr.multiValued()) {
                List<JsonNode> values = normalizeAll(value, attr, t.text());
                if (values.isEmpty()) {
                    removeField(container(t, false), attr.name());
                } else {
                    ArrayNode arr = JSON.arrayNode();
                    values.forEach(arr::add);
                    container(t, true).set(attr.name(), arr);
                    removeOtherSpellings(container(t, true), attr.name());
                }
                return;
            }
            JsonNode v = normalize(value, attr, t.text());
            if (attr.isComplex() && v != null) {
                ObjectNode obj = complex(t, true);
                for (Map.Entry<String, JsonNode> e : requireObject(v, t.text()).properties()) {
                    setSub(obj, attr.subAttribute(e.getKey()).orElseThrow(), e.getValue(), t.text());
                }
                return;
            }
            checkImmutable(attr, current(t), v, t.text());
            ObjectNode c = container(t, v != null);
            if (c != null) {
                putOrRemove(c, attr.name(), v);
            }
        }

        // ---- remove --------------------------------------------------------------------------------------------

        private void remove(Target t, JsonNode value) {
            AttributeDefinition attr = t.attribute();
            if (t.filter() != null) {
                List<ObjectNode> matches = matching(t);
                if (matches.isEmpty()) {
                    throw noTarget("the filter of '" + t.text() + "' matches no value");
                }
                if (t.sub() != null) {
                    checkRemovable(t.sub(), t.text());
                    matches.forEach(m -> removeField(m, t.sub().name()));
                } else {
                    Set<JsonNode> gone = identitySet(matches);
                    ArrayNode arr = array(t, false);
                    for (int i = arr.size() - 1; i >= 0; i--) {
                        if (gone.contains(arr.get(i))) {
                            arr.remove(i);
                        }
                    }
                }
                dropIfEmpty(t);
                return;
            }
            if (t.sub() != null) {
                checkRemovable(t.sub(), t.text());
                if (attr.multiValued()) {
                    elements(t).forEach(e -> removeField(e, t.sub().name()));
                } else {
                    ObjectNode obj = complex(t, false);
                    if (obj != null) {
                        removeField(obj, t.sub().name());
                    }
                }
                dropIfEmpty(t);
                return;
            }
            if (PatchQuirks.isRemoveByValue(PatchOperation.Op.REMOVE, attr, value)) {
                List<JsonNode> values = normalizeAll(value, attr, t.text());
                ArrayNode arr = array(t, false);
                if (arr != null) {
                    for (JsonNode v : values) {
                        JsonNode existing = find(arr, v, attr);
                        if (existing != null) {
                            for (int i = 0; i < arr.size(); i++) {
                                if (arr.get(i) == existing) {
                                    arr.remove(i);
                                    break;
                                }
                            }
                        }
                    }
                }
                dropIfEmpty(t);
                return;
            }
            checkRemovable(attr, t.text());
            ObjectNode c = container(t, false);
            if (c != null) {
                removeField(c, attr.name());
                dropIfEmpty(t);
            }
        }

        // ---- members (intercepted) -----------------------------------------------------------------------------

        private void members(PatchOperation.Op op, Target t, JsonNode value) {
            String help = "; add and remove members by value instead";
            switch (op) {
                case ADD -> {
                    if (t.filter() != null || t.sub() != null) {
                        throw ScimException.badRequest(ScimType.invalidPath, "'" + t.text()
                                + "': members are added with path 'members' and the new members as the value");
                    }
                    List<MemberRef> refs = memberRefs(value);
                    if (!refs.isEmpty()) {
                        memberChanges.add(new MemberChange(MemberChange.Kind.ADD, refs));
                    }
                }
                case REPLACE -> {
                    if (t.filter() != null || t.sub() != null) {
                        throw mutability("'" + t.text() + "': a member's value, type and $ref are immutable" + help);
                    }
                    memberChanges.add(new MemberChange(MemberChange.Kind.REPLACE_ALL, memberRefs(value)));
                }
                case REMOVE -> {
                    if (t.sub() != null) {
                        throw mutability("'" + t.text() + "': a member's value, type and $ref are immutable" + help);
                    }
                    if (t.filter() != null) {
                        memberChanges.add(new MemberChange(MemberChange.Kind.REMOVE, memberIds(t.filter())));
                    } else if (PatchQuirks.isRemoveByValue(op, t.attribute(), value)) {
                        memberChanges.add(new MemberChange(MemberChange.Kind.REMOVE, memberRefs(value)));
                    } else {
                        memberChanges.add(new MemberChange(MemberChange.Kind.REMOVE_ALL, List.of()));
                    }
                }
            }
        }

        private List<MemberRef> memberRefs(JsonNode value) {
            List<MemberRef> out = new ArrayList<>();
            if (value == null || value.isNull()) {
                return out;
            }
            List<JsonNode> items = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(items::add);
            } else {
                items.add(value);
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode m = items.get(i);
                String where = "members[" + i + "]";
                if (m.isTextual() && !m.textValue().isBlank()) {
                    out.add(MemberRef.of(m.textValue()));
                    continue;
                }
                if (!m.isObject()) {
                    throw ScimException.badRequest(ScimType.invalidValue, where + " must be an object with a 'value'");
                }
                ObjectNode o = ((ObjectNode) m).deepCopy();
                PatchQuirks.dropNullSubAttributes(o);
                JsonNode v = field(o, "value");
                if (v == null || !(v.isTextual() || v.isNumber()) || v.asText().isBlank()) {
                    throw ScimException.badRequest(ScimType.invalidValue, where + " needs a 'value': the member's id");
                }
                JsonNode typeNode = field(o, "type");
                String memberType = null;
                if (typeNode != null) {
                    if (typeNode.isTextual() && typeNode.textValue().equalsIgnoreCase("User")) {
                        memberType = "User";
                    } else if (typeNode.isTextual() && typeNode.textValue().equalsIgnoreCase("Group")) {
                        memberType = "Group";
                    } else {
                        throw ScimException.badRequest(ScimType.invalidValue, where + ".type must be \"User\" or \"Group\"");
                    }
                }
                JsonNode display = field(o, "display");
                out.add(new MemberRef(v.asText(), memberType,
                        display != null && display.isTextual() ? display.textValue() : null));
            }
            return out;
        }

        /** {@code value eq "a"} or {@code value eq "a" or value eq "b"}. */
        private List<MemberRef> memberIds(Filter filter) {
            List<Filter> terms = filter instanceof Filter.Or or ? or.operands() : List.of(filter);
            List<MemberRef> out = new ArrayList<>();
            for (Filter f : terms) {
                if (f instanceof Filter.Comparison c && c.op() == CompareOp.EQ && c.path().schema() == null
                        && c.path().subAttribute() == null && c.path().nameIs("value")
                        && c.value().kind() == Literal.Kind.STRING && !c.value().asString().isBlank()) {
                    out.add(MemberRef.of(c.value().asString()));
                } else {
                    throw ScimException.badRequest(ScimType.invalidFilter, "members are selected only by "
                            + "'value eq \"<id>\"' (several joined with 'or')");
                }
            }
            return out;
        }

        // ---- values --------------------------------------------------------------------------------------------

        private List<ObjectNode> matching(Target t) {
            Predicate<JsonNode> p = evaluator.valuePredicate(t.path().parent(), t.filter());
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode e : elements(t)) {
                if (p.test(e)) {
                    out.add(e);
                }
            }
            return out;
        }

        private void setOnMatches(Target t, List<ObjectNode> matches, JsonNode value, boolean replaceWhole) {
            AttributeDefinition attr = t.attribute();
            if (t.sub() != null) {
                JsonNode v = normalize(value, t.sub(), t.text());
                for (ObjectNode m : matches) {
                    setSub(m, t.sub(), v, t.text());
                }
                return;
            }
            ObjectNode v = requireObject(normalize(value, attr, t.text()), t.text());
            for (ObjectNode m : matches) {
                if (replaceWhole) {
                    for (AttributeDefinition sub : attr.subAttributes()) {
                        if (sub.mutability() == Mutability.IMMUTABLE) {
                            checkImmutable(sub, field(m, sub.name()), field(v, sub.name()), t.text() + "." + sub.name());
                        }
                    }
                    m.removeAll();
                }
                merge(m, v);
            }
        }

        private void setSub(ObjectNode obj, AttributeDefinition sub, JsonNode v, String text) {
            if (sub.mutability() == Mutability.READ_ONLY) {
                return; // dropped, as in a whole value
            }
            checkImmutable(sub, field(obj, sub.name()), v, text);
            putOrRemove(obj, sub.name(), v);
        }

        private void checkImmutable(AttributeDefinition def, JsonNode current, JsonNode next, String text) {
            if (def.mutability() == Mutability.IMMUTABLE && current != null && !current.isNull()
                    && !current.equals(next)) {
                throw mutability("'" + text + "' is immutable");
            }
        }

        private void checkRemovable(AttributeDefinition def, String text) {
            if (def.mutability() == Mutability.IMMUTABLE) {
                throw mutability("'" + text + "' is immutable");
            }
        }

        private List<JsonNode> normalizeAll(JsonNode value, AttributeDefinition attr, String text) {
            List<JsonNode> out = new ArrayList<>();
            if (value == null || value.isNull()) {
                return out;
            }
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode v = normalize(value.get(i), attr, text + "[" + i + "]");
                    if (v != null) {
                        out.add(v);
                    }
                }
            } else {
                JsonNode v = normalize(value, attr, text);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }

        /** One value of {@code def} (a single value of a multi-valued one), checked and coerced; null for null. */
        private JsonNode normalize(JsonNode value, AttributeDefinition def, String text) {
            if (value == null || value.isNull()) {
                return null;
            }
            switch (def.type()) {
                case COMPLEX -> {
                    JsonNode v = PatchQuirks.complexFromString(value, def);
                    if (!v.isObject()) {
                        throw invalidValue("'" + text + "' must be an object");
                    }
                    ObjectNode out = JSON.objectNode();
                    ObjectNode in = ((ObjectNode) v).deepCopy();
                    PatchQuirks.dropNullSubAttributes(in);
                    for (Map.Entry<String, JsonNode> e : in.properties()) {
                        AttributeDefinition sub = def.subAttribute(e.getKey()).orElseThrow(() ->
                                ScimException.badRequest(ScimType.invalidPath, "'" + def.name()
                                        + "' has no sub-attribute '" + e.getKey() + "'"));
                        if (sub.mutability() == Mutability.READ_ONLY) {
                            continue;
                        }
                        JsonNode n = normalize(e.getValue(), sub, text + "." + sub.name());
                        if (n != null) {
                            out.set(sub.name(), n);
                        }
                    }
                    return out;
                }
                case BOOLEAN -> {
                    JsonNode v = PatchQuirks.booleanFromString(value);
                    if (!v.isBoolean()) {
                        throw invalidValue("'" + text + "' must be true or false");
                    }
                    return v;
                }
                case INTEGER -> {
                    if (!value.isIntegralNumber()) {
                        throw invalidValue("'" + text + "' must be an integer");
                    }
                    return value;
                }
                case DECIMAL -> {
                    if (!value.isNumber()) {
                        throw invalidValue("'" + text + "' must be a number");
                    }
                    return value;
                }
                case DATE_TIME -> {
                    if (!value.isTextual() || !isDateTime(value.textValue())) {
                        throw invalidValue("'" + text + "' must be an xsd:dateTime such as \"2011-05-13T04:42:34Z\"");
                    }
                    return value;
                }
                default -> {
                    if (value.isTextual()) {
                        return value;
                    }
                    if (value.isNumber()) {
                        return TextNode.valueOf(value.asText());
                    }
                    throw invalidValue("'" + text + "' must be a string");
                }
            }
        }

        private ObjectNode requireObject(JsonNode v, String text) {
            if (v == null || !v.isObject()) {
                throw invalidValue("'" + text + "' needs an object of sub-attributes as its value");
            }
            return (ObjectNode) v;
        }

        /** The value of the array equal to {@code v}: same {@code value} (and same type when both have one). */
        private JsonNode find(ArrayNode arr, JsonNode v, AttributeDefinition attr) {
            Optional<AttributeDefinition> valueDef = attr.subAttribute("value");
            for (JsonNode e : arr) {
                if (e.equals(v)) {
                    return e;
                }
                if (valueDef.isPresent() && e.isObject() && v.isObject()) {
                    JsonNode a = field(e, "value");
                    JsonNode b = field(v, "value");
                    if (a == null || b == null || !a.isValueNode() || !b.isValueNode()) {
                        continue;
                    }
                    boolean same = valueDef.get().caseExact() ? a.asText().equals(b.asText())
                            : a.asText().equalsIgnoreCase(b.asText());
                    JsonNode ta = field(e, "type");
                    JsonNode tb = field(v, "type");
                    if (same && (ta == null || tb == null || ta.asText().equalsIgnoreCase(tb.asText()))) {
                        return e;
                    }
                }
            }
            return null;
        }

        private void merge(ObjectNode into, ObjectNode from) {
            for (Map.Entry<String, JsonNode> e : from.properties()) {
                removeOtherSpellings(into, e.getKey());
                into.set(e.getKey(), e.getValue());
            }
        }

        // ---- primary -------------------------------------------------------------------------------------------

        private Set<JsonNode> primaries(Target t) {
            Set<JsonNode> out = Collections.newSetFromMap(new IdentityHashMap<>());
            if (t.attribute().multiValued() && t.attribute().subAttribute("primary").isPresent()) {
                for (ObjectNode e : elements(t)) {
                    if (isPrimary(e)) {
                        out.add(e);
                    }
                }
            }
            return out;
        }

        private void enforcePrimary(Target t, Set<JsonNode> before) {
            if (!t.attribute().multiValued() || t.attribute().subAttribute("primary").isEmpty()) {
                return;
            }
            List<ObjectNode> now = elements(t).stream().filter(this::isPrimary).toList();
            if (now.size() <= 1) {
                return;
            }
            for (ObjectNode e : now) {
                if (before.contains(e)) {
                    e.remove("primary");
                }
            }
            if (elements(t).stream().filter(this::isPrimary).count() > 1) {
                throw invalidValue("more than one value of '" + t.attribute().name() + "' is primary");
            }
        }

        private boolean isPrimary(ObjectNode e) {
            JsonNode p = field(e, "primary");
            return p != null && p.isBoolean() && p.booleanValue();
        }

        // ---- JSON locations ------------------------------------------------------------------------------------

        /** The object holding the attribute: the resource, or the extension's object (created when asked). */
        private ObjectNode container(Target t, boolean create) {
            if (t.schema().id().equalsIgnoreCase(type.schema().id())) {
                return root;
            }
            JsonNode ext = field(root, t.schema().id());
            if (ext != null && ext.isObject()) {
                return (ObjectNode) ext;
            }
            if (!create) {
                return null;
            }
            removeField(root, t.schema().id());
            ObjectNode created = root.putObject(t.schema().id());
            JsonNode schemas = field(root, "schemas");
            if (schemas == null || !schemas.isArray()) {
                ArrayNode arr = root.putArray("schemas");
                arr.add(type.schema().id());
                schemas = arr;
            }
            boolean listed = false;
            for (JsonNode s : schemas) {
                listed |= s.isTextual() && s.textValue().equalsIgnoreCase(t.schema().id());
            }
            if (!listed) {
                ((ArrayNode) schemas).add(t.schema().id());
            }
            return created;
        }

        private JsonNode current(Target t) {
            ObjectNode c = container(t, false);
            JsonNode v = c == null ? null : field(c, t.attribute().name());
            if (v != null && t.sub() != null) {
                v = field(v, t.sub().name());
            }
            return v;
        }

        private ArrayNode array(Target t, boolean create) {
            ObjectNode c = container(t, create);
            if (c == null) {
                return null;
            }
            JsonNode v = field(c, t.attribute().name());
            if (v != null && v.isArray()) {
                return (ArrayNode) v;
            }
            if (!create) {
                return v != null && v.isObject() ? wrapSingle(c, t, v) : null;
            }
            ArrayNode arr = JSON.arrayNode();
            if (v != null && v.isObject()) {
                arr.add(v);
            }
            removeField(c, t.attribute().name());
            c.set(t.attribute().name(), arr);
            return arr;
        }

        private ArrayNode wrapSingle(ObjectNode c, Target t, JsonNode single) {
            ArrayNode arr = JSON.arrayNode().add(single);
            removeField(c, t.attribute().name());
            c.set(t.attribute().name(), arr);
            return arr;
        }

        private List<ObjectNode> elements(Target t) {
            ArrayNode arr = array(t, false);
            List<ObjectNode> out = new ArrayList<>();
            if (arr != null) {
                arr.forEach(e -> {
                    if (e.isObject()) {
                        out.add((ObjectNode) e);
                    }
                });
            }
            return out;
        }

        private ObjectNode complex(Target t, boolean create) {
            ObjectNode c = container(t, create);
            if (c == null) {
                return null;
            }
            JsonNode v = field(c, t.attribute().name());
            if (v != null && v.isObject()) {
                return (ObjectNode) v;
            }
            if (!create) {
                return null;
            }
            removeField(c, t.attribute().name());
            return c.putObject(t.attribute().name());
        }

        private void dropIfEmpty(Target t) {
            ObjectNode c = container(t, false);
            if (c == null) {
                return;
            }
            JsonNode v = field(c, t.attribute().name());
            if (v != null && (v.isArray() || v.isObject()) && v.isEmpty()) {
                removeField(c, t.attribute().name());
            }
            if (c != root && c.isEmpty()) {
                removeField(root, t.schema().id());
                removeSchemaUrn(t.schema().id());
            }
        }

        private void removeSchemaUrn(String urn) {
            JsonNode schemas = field(root, "schemas");
            if (schemas != null && schemas.isArray()) {
                for (int i = schemas.size() - 1; i >= 0; i--) {
                    if (schemas.get(i).isTextual() && schemas.get(i).textValue().equalsIgnoreCase(urn)) {
                        ((ArrayNode) schemas).remove(i);
                    }
                }
            }
        }

        /** After all operations: a required attribute that was there is still there. */
        void checkRequired(ObjectNode before) {
            for (AttributeDefinition a : type.schema().attributes()) {
                if (a.required() && present(field(before, a.name())) && !present(field(root, a.name()))) {
                    throw invalidValue("'" + a.name() + "' is required and cannot be removed");
                }
            }
        }

        private boolean present(JsonNode n) {
            return n != null && !n.isNull() && !(n.isTextual() && n.textValue().isEmpty())
                    && !((n.isArray() || n.isObject()) && n.isEmpty());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void putOrRemove(ObjectNode obj, String name, JsonNode v) {
        removeOtherSpellings(obj, name);
        if (v == null || v.isNull()) {
            obj.remove(name);
        } else {
            obj.set(name, v);
        }
    }

    private static void removeOtherSpellings(ObjectNode obj, String name) {
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getKey().equals(name)) {
                others.add(e.getKey());
            }
        }
        obj.remove(others);
    }

    private static void removeField(ObjectNode obj, String name) {
        if (obj == null) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                keys.add(e.getKey());
            }
        }
        obj.remove(keys);
    }

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

    private static Set<JsonNode> identitySet(List<? extends JsonNode> nodes) {
        Set<JsonNode> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.addAll(nodes);
        return out;
    }

    private static boolean isDateTime(String s) {
        if (s.length() > 64) {
            return false;
        }
        try {
            DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static ScimException mutability(String message) {
        return ScimException.badRequest(ScimType.mutability, message);
    }

    private static ScimException noTarget(String message) {
        return ScimException.badRequest(ScimType.noTarget, message);
    }

    private static ScimException invalidValue(String message) {
        return ScimException.badRequest(ScimType.invalidValue, message);
    }
}
