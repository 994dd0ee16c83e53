package io.usher.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** One event as one line of JSON, written by Jackson's generator (all escaping is Jackson's). */
final class EventJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private EventJson() {}

    static String line(AuditEvent e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("sourceId", e.sourceId());
            g.writeStringField("runId", e.runId());
            g.writeStringField("route", e.route().name());
            if (!e.context().details().isEmpty()) {
                g.writeObjectFieldStart("context");
                for (Map.Entry<String, String> d : e.context().details().entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            optional(g, "kind", e.kind() == null ? null : e.kind().name());
            g.writeStringField("outcome", e.outcome().name());
            optional(g, "code", e.code() == null ? null : e.code().name());
            optional(g, "reason", e.reason());
            optional(g, "externalId", e.externalId());
            optional(g, "key", e.key());
            optional(g, "name", e.name());
            optional(g, "previousName", e.previousName());
            optional(g, "memberKind", e.memberKind() == null ? null : e.memberKind().name());
            optional(g, "memberName", e.memberName());
            if (!e.fields().isEmpty()) {
                g.writeArrayFieldStart("fields");
                for (String f : e.fields()) {
                    g.writeString(f);
                }
                g.writeEndArray();
            }
            if (!e.values().isEmpty()) {
                g.writeObjectFieldStart("values");
                for (Map.Entry<String, Object> v : e.values().entrySet()) {
                    g.writeFieldName(v.getKey());
                    Object val = v.getValue();
                    if (val == null) {
                        g.writeNull();
                    } else if (val instanceof Boolean) {
                        g.writeBoolean((Boolean) val);
                    } else if (val instanceof List) {
                        g.writeStartArray();
                        for (Object o : (List<?>) val) {
                            g.writeString(String.valueOf(o));
                        }
                        g.writeEndArray();
                    } else {
                        g.writeString(val.toString());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
