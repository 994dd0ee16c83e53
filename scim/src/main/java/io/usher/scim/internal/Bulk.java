package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.usher.core.UsherException;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /Bulk} (RFC 7644 §3.7): operations run in order, each through the same service as its own
 * endpoint; {@code bulkId:x} references in paths and data are replaced by the id the operation with
 * {@code bulkId: x} created, including references to operations later in the request (those wait until the
 * id exists); {@code failOnErrors} stops the run after that many errors. Not thread-safe (one per request).
 */
final class Bulk {
    private static final Pattern PATH = Pattern.compile("/?(Users|Groups)(?:/([^/]+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern REF = Pattern.compile("bulkId:([A-Za-z0-9._~-]+)");

    private final ScimService service;
    private final Map<String, String> created = new HashMap<>();

    Bulk(ScimService service) {
        this.service = service;
    }

    private record Op(int index, String method, String path, String bulkId, String version, JsonNode data) {}

    ObjectNode execute(ObjectNode body, String base) {
        JsonNode schemas = Json.field(body, "schemas");
        if (schemas != null && schemas.isArray() && !schemas.isEmpty()) {
            boolean ok = false;
            for (JsonNode s : schemas) {
                ok |= s.asText().equalsIgnoreCase(Urns.BULK_REQUEST);
            }
            if (!ok) {
                throw ScimException.badRequest(ScimType.invalidSyntax, "a bulk request's schemas must be "
                        + Urns.BULK_REQUEST);
            }
        }
        JsonNode ops = Json.field(body, "Operations");
        if (ops == null || !ops.isArray()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "a bulk request needs an Operations array");
        }
        int max = service.settings().maxBulkOperations();
        if (ops.size() > max) {
            throw ScimException.of(413, null, "the bulk request has " + ops.size() + " operations; at most " + max
                    + " are accepted");
        }
        JsonNode foe = Json.field(body, "failOnErrors");
        int failOnErrors = Integer.MAX_VALUE;
        if (foe != null && !foe.isNull()) {
            if (!foe.canConvertToInt() || foe.asInt() < 1) {
                throw ScimException.badRequest(ScimType.invalidValue, "failOnErrors must be a positive integer");
            }
            failOnErrors = foe.asInt();
        }
        List<Op> all = new ArrayList<>();
        int i = 0;
        for (JsonNode o : ops) {
            all.add(parse(i++, o));
        }
        ObjectNode[] results = runAll(all, failOnErrors, base);
        ObjectNode out = Json.object();
        out.putArray("schemas").add(Urns.BULK_RESPONSE);
        ArrayNode arr = out.putArray("Operations");
        for (ObjectNode r : results) {
            if (r != null) {
                arr.add(r);
            }
        }
        return out;
    }

    /**
     * Runs the operations in passes: each pass visits the unfinished operations in request order; one whose
     * references all name created resources runs; one that refers to a bulkId no unfinished operation (at the
     * pass's start) defines fails; the others wait for a later pass. A pass in which nothing runs or fails ends
     * the request: what still waits is a cycle (409). {@code failOnErrors} stops the run.
     *
     * <p>The references are indexed once: an operation waits on one bulkId and is visited again only when that
     * changes (its operation created it, or no operation left can), so a chain of n references costs O(n log n)
     * instead of rescanning every waiting operation, its data and the pending list on every pass (O(n³) for a
     * chain whose references point forward). Operations run, succeed and fail exactly as in that plain loop.
     */
    private ObjectNode[] runAll(List<Op> all, int failOnErrors, String base) {
        int n = all.size();
        ObjectNode[] results = new ObjectNode[n];
        List<List<String>> refs = new ArrayList<>(n);
        int[] cursor = new int[n];
        boolean[] done = new boolean[n];
        Map<String, Integer> unfinishedDefiners = new HashMap<>();
        for (Op op : all) {
            List<String> r = new ArrayList<>();
            collect(op.path, r);
            collect(op.data, r);
            refs.add(r);
            if (op.bulkId != null) {
                unfinishedDefiners.merge(op.bulkId, 1, Integer::sum);
            }
        }
        Map<String, List<Integer>> waiters = new HashMap<>();
        TreeSet<Integer> agenda = new TreeSet<>();
        for (int k = 0; k < n; k++) {
            agenda.add(k);
        }
        int unfinished = n;
        int errors = 0;
        boolean progress = true;
        while (unfinished > 0 && progress && errors < failOnErrors) {
            progress = false;
            TreeSet<Integer> nextPass = new TreeSet<>();
            Map<String, Integer> finishedThisPass = new HashMap<>(); // with the counts: the pass-start view
            for (Integer cur = agenda.pollFirst(); cur != null; cur = agenda.pollFirst()) {
                if (errors >= failOnErrors) {
                    break;
                }
                Op op = all.get(cur);
                String missing = null;
                if (op.method != null) {
                    List<String> r = refs.get(cur);
                    while (cursor[cur] < r.size() && created.containsKey(r.get(cursor[cur]))) {
                        cursor[cur]++;
                    }
                    missing = cursor[cur] < r.size() ? r.get(cursor[cur]) : null;
                    if (missing != null && unfinishedDefiners.getOrDefault(missing, 0)
                            + finishedThisPass.getOrDefault(missing, 0) > 0) {
                        waiters.computeIfAbsent(missing, k -> new ArrayList<>()).add(cur);
                        continue;
                    }
                }
                if (op.method == null || missing != null) {
                    results[cur] = op.method == null ? failure(op, ScimException.badRequest(
                            ScimType.invalidSyntax, "each operation needs a method and a path"))
                            : failure(op, ScimException.badRequest(ScimType.invalidValue,
                            "bulkId:" + missing + " names no operation that created a resource"));
                    errors++;
                } else {
                    results[cur] = run(op, base);
                    if (results[cur].has("response")) {
                        errors++;
                    }
                }
                progress = true;
                done[cur] = true;
                unfinished--;
                if (op.bulkId != null) {
                    unfinishedDefiners.merge(op.bulkId, -1, Integer::sum);
                    finishedThisPass.merge(op.bulkId, 1, Integer::sum);
                    if (created.containsKey(op.bulkId)) {
                        // those waiting for it: later ones are visited in this pass, earlier ones in the next
                        for (int w : waiters.getOrDefault(op.bulkId, List.of())) {
                            (w > cur ? agenda : nextPass).add(w);
                        }
                        waiters.remove(op.bulkId);
                    }
                }
            }
            if (!progress) {
                for (int k = 0; k < n; k++) {
                    if (!done[k]) {
                        results[k] = failure(all.get(k), ScimException.of(409, null,
                                "bulkId references form a cycle that cannot be resolved"));
                        errors++;
                    }
                }
                break;
            }
            // a bulkId whose every operation finished without creating it fails those waiting for it, next pass
            for (String id : finishedThisPass.keySet()) {
                if (unfinishedDefiners.getOrDefault(id, 0) == 0 && !created.containsKey(id)) {
                    nextPass.addAll(waiters.getOrDefault(id, List.of()));
                    waiters.remove(id);
                }
            }
            agenda = nextPass;
        }
        return results;
    }

    private Op parse(int index, JsonNode o) {
        if (!o.isObject()) {
            return new Op(index, null, null, null, null, null);
        }
        String method = text(o, "method");
        String path = text(o, "path");
        String bulkId = text(o, "bulkId");
        String version = text(o, "version");
        return new Op(index, method == null || path == null ? null : method.toUpperCase(Locale.ROOT), path, bulkId,
                version, Json.field(o, "data"));
    }

    private static String text(JsonNode o, String name) {
        JsonNode n = Json.field(o, name);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    private static void collect(String s, List<String> out) {
        if (s == null) {
            return;
        }
        Matcher m = REF.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n == null) {
            return;
        }
        if (n.isTextual()) {
            collect(n.asText(), out);
        } else if (n.isContainerNode()) {
            for (JsonNode c : n) {
                collect(c, out);
            }
        }
    }

    private String substitute(String s) {
        Matcher m = REF.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(created.get(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private JsonNode substitute(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            return TextNode.valueOf(substitute(n.asText()));
        }
        if (n.isObject()) {
            ObjectNode copy = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), substitute(e.getValue()));
            }
            return copy;
        }
        if (n.isArray()) {
            ArrayNode copy = Json.NODES.arrayNode();
            n.forEach(c -> copy.add(substitute(c)));
            return copy;
        }
        return n;
    }

    private ObjectNode run(Op op, String base) {
        try {
            String path = substitute(op.path);
            Matcher m = PATH.matcher(path);
            if (!m.matches()) {
                throw ScimException.badRequest(ScimType.invalidPath, "bulk operations address /Users or /Groups");
            }
            boolean users = m.group(1).equalsIgnoreCase("Users");
            String id = m.group(2);
            JsonNode data = substitute(op.data);
            ObjectNode body = null;
            if (!op.method.equals("DELETE")) {
                if (data == null || !data.isObject()) {
                    throw ScimException.badRequest(ScimType.invalidSyntax, op.method + " needs data (a JSON object)");
                }
                body = (ObjectNode) data;
            }
            if ((id == null) != op.method.equals("POST")) {
                throw ScimException.badRequest(ScimType.invalidPath, op.method.equals("POST")
                        ? "POST addresses /Users or /Groups" : op.method + " addresses /Users/{id} or /Groups/{id}");
            }
            ScimService.Result r;
            switch (op.method) {
                case "POST":
                    if (op.bulkId == null) {
                        throw ScimException.badRequest(ScimType.invalidValue, "a bulk POST needs a bulkId");
                    }
                    r = users ? service.createUser(body, base) : service.createGroup(body, base);
                    created.put(op.bulkId, r.body().get("id").asText());
                    break;
                case "PUT":
                    r = users ? service.replaceUser(id, body, op.version, base)
                            : service.replaceGroup(id, body, op.version, base);
                    break;
                case "PATCH":
                    r = users ? service.patchUser(id, body, op.version, base)
                            : service.patchGroup(id, body, op.version, Projection.ALL, false, base);
                    break;
                case "DELETE":
                    r = users ? service.deleteUser(id, op.version) : service.deleteGroup(id, op.version);
                    break;
                default:
                    throw ScimException.badRequest(ScimType.invalidSyntax, "method must be POST, PUT, PATCH or DELETE");
            }
            ObjectNode out = Json.object();
            out.put("method", op.method);
            if (op.bulkId != null) {
                out.put("bulkId", op.bulkId);
            }
            if (r.etag() != null) {
                out.put("version", r.etag());
            }
            String location = r.location() != null ? r.location()
                    : id != null ? base + (users ? "/Users/" : "/Groups/") + id : null;
            if (location != null) {
                out.put("location", location);
            }
            out.put("status", Integer.toString(r.status()));
            return out;
        } catch (ScimException e) {
            return failure(op, e);
        } catch (UsherException e) {
            return failure(op, Errors.from(e));
        } catch (RuntimeException e) {
            return failure(op, Errors.unexpected(e));
        }
    }

    private static ObjectNode failure(Op op, ScimException e) {
        ObjectNode out = Json.object();
        if (op.method != null) {
            out.put("method", op.method);
        }
        if (op.bulkId != null) {
            out.put("bulkId", op.bulkId);
        }
        out.put("status", Integer.toString(e.status()));
        out.set("response", Errors.body(e));
        return out;
    }
}
