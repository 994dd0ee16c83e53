package io.usher.examples.cli;

import io.usher.core.Change;
import io.usher.core.Failure;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the CLI shows changes: table rows, JSON objects, and the "why" of each kind. */
final class Changes {
    private static final int MAX_CELL = 60;

    private Changes() {}

    /** Why this change happens, in plain words: the engine's reason, or what its kind means. */
    static String why(Change c) {
        if (c.reason() != null) {
            return c.reason();
        }
        switch (c.kind()) {
            case USER_CREATED: return "new in the source";
            case USER_UPDATED: return "changed in the source";
            case USER_RENAMED: return "same immutable id, new username: a rename, not delete + create";
            case USER_DEACTIVATED: return "gone from the source or disabled there (deprovision: deactivate)";
            case USER_REACTIVATED: return "active again in the source";
            case USER_DELETED: return "gone from the source (deprovision: delete)";
            case USER_LINKED: return "a local user of the same name is taken over (collision: link)";
            case GROUP_CREATED: return "new in the source";
            case GROUP_UPDATED: return "changed in the source";
            case GROUP_DELETED: return "gone from the source";
            case GROUP_LINKED: return "a local group of the same name is taken over (collision: link)";
            case MEMBER_ADDED: return "a member in the source";
            case MEMBER_REMOVED: return "no longer a member in the source";
            default: return "";
        }
    }

    static String detail(Change c) {
        StringBuilder sb = new StringBuilder();
        if (c.previousName() != null) {
            sb.append("was ").append(c.previousName());
        }
        if (c.memberName() != null) {
            sb.append(c.memberKind() == MemberKind.GROUP ? "group " : "user ").append(c.memberName());
        }
        if (!c.fields().isEmpty()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(String.join(", ", new java.util.TreeSet<>(c.fields())));
        }
        return sb.toString();
    }

    static String[] row(Change c) {
        return new String[] {c.kind().name(), c.name(), detail(c), why(c)};
    }

    static Map<String, Object> json(Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind().name());
        m.put("name", c.name());
        if (c.previousName() != null) {
            m.put("previousName", c.previousName());
        }
        if (c.origin() != null) {
            m.put("origin", c.origin().toString());
        }
        if (c.key() != null) {
            m.put("key", c.key());
        }
        if (!c.fields().isEmpty()) {
            m.put("fields", new java.util.TreeSet<>(c.fields()));
        }
        if (c.memberName() != null) {
            m.put("memberKind", c.memberKind().name());
            m.put("memberName", c.memberName());
        }
        m.put("why", why(c));
        return m;
    }

    /** Left-aligned columns, cells cut at {@value #MAX_CELL} characters. */
    static void printTable(PrintWriter out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], cut(r[i]).length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String cell = cut(r[i]);
                sb.append(cell);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
    }

    static void printProblems(PrintWriter out, SyncReport r) {
        if (r.failureCount() > 0) {
            out.println();
            out.println("failures (" + r.failureCount() + "):");
            for (Failure f : r.failures().subList(0, Math.min(50, r.failures().size()))) {
                out.println("  " + f);
            }
        }
        if (r.warningCount() > 0) {
            out.println();
            out.println("warnings (" + r.warningCount() + "):");
            for (String w : r.warnings().subList(0, Math.min(50, r.warnings().size()))) {
                out.println("  " + w);
            }
        }
    }
}
