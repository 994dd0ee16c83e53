package io.usher.core.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses HTTP {@code Link} headers (RFC 8288 §3): {@code <https://x/api/v1/users?after=abc&limit=200>; rel="next"},
 * several links per header separated by commas, several headers per response. Link targets are kept exactly as
 * sent (never rebuilt), parameters by lower-cased name, {@code rel} values split on spaces. A malformed link
 * ends the parse of that header value with what was read before it; it never throws. Stateless.
 */
public final class LinkHeader {
    /** Header values longer than this are not parsed (no server sends one). */
    static final int MAX_LENGTH = 64 * 1024;

    /** One link: its target as sent and its parameters (names lower-cased). Immutable. */
    public record Link(String target, Map<String, String> params) {
        public Link {
            params = Map.copyOf(params);
        }

        /** Whether the {@code rel} parameter names this relation (case-insensitive; {@code rel} may list several). */
        public boolean hasRel(String rel) {
            String r = params.get("rel");
            if (r == null) {
                return false;
            }
            for (String one : r.trim().split("\\s+")) {
                if (one.equalsIgnoreCase(rel)) {
                    return true;
                }
            }
            return false;
        }
    }

    private LinkHeader() {}

    /** The links in one header value, in order. */
    public static List<Link> parse(String value) {
        List<Link> out = new ArrayList<>();
        if (value == null || value.length() > MAX_LENGTH) {
            return out;
        }
        int i = 0;
        int n = value.length();
        while (i < n) {
            i = skipSpaceAnd(value, i, ',');
            if (i >= n) {
                break;
            }
            if (value.charAt(i) != '<') {
                return out;
            }
            int close = value.indexOf('>', i + 1);
            if (close < 0) {
                return out;
            }
            String target = value.substring(i + 1, close).trim();
            i = close + 1;
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                i = skipSpace(value, i);
                if (i >= n || value.charAt(i) == ',') {
                    break;
                }
                if (value.charAt(i) != ';') {
                    return out;
                }
                i = skipSpace(value, i + 1);
                int nameStart = i;
                while (i < n && isTokenChar(value.charAt(i))) {
                    i++;
                }
                if (i == nameStart) {
                    return out;
                }
                String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i = skipSpace(value, i);
                String v = "";
                if (i < n && value.charAt(i) == '=') {
                    i = skipSpace(value, i + 1);
                    if (i < n && value.charAt(i) == '"') {
                        StringBuilder b = new StringBuilder();
                        i++;
                        while (i < n && value.charAt(i) != '"') {
                            if (value.charAt(i) == '\\' && i + 1 < n) {
                                i++;
                            }
                            b.append(value.charAt(i));
                            i++;
                        }
                        if (i >= n) {
                            return out;
                        }
                        i++;
                        v = b.toString();
                    } else {
                        int vs = i;
                        while (i < n && isTokenChar(value.charAt(i))) {
                            i++;
                        }
                        v = value.substring(vs, i);
                    }
                }
                params.putIfAbsent(name, v);
            }
            if (!target.isEmpty()) {
                out.add(new Link(target, params));
            }
        }
        return out;
    }

    /** The target of the first link with relation {@code rel} across all the given header values. */
    public static Optional<String> find(List<String> headerValues, String rel) {
        for (String v : headerValues) {
            for (Link l : parse(v)) {
                if (l.hasRel(rel)) {
                    return Optional.of(l.target());
                }
            }
        }
        return Optional.empty();
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipSpaceAnd(String s, int i, char c) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == c)) {
            i++;
        }
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0 || c == '/';
    }
}
