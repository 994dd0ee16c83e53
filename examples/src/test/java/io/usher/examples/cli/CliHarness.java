package io.usher.examples.cli;

import io.usher.core.model.User;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the {@code usher} CLI in-process with captured stdout and stderr and a given environment, writes
 * configuration files, and reads what a sync left in a state directory. Not thread-safe: one per test.
 */
final class CliHarness {
    record Result(int code, String out, String err) {
        /** Everything the run printed, for checks that no secret leaked. */
        String all() {
            return out + err;
        }
    }

    final Map<String, String> env = new LinkedHashMap<>();
    private final Path tmp;

    CliHarness(Path tmp) {
        this.tmp = tmp;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UsherCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code base} as a properties file, with each {@code extra} "key=value" added or replaced
     * ("key=" removes the key). Backslashes are escaped as properties files need.
     */
    Path config(Map<String, String> base, String... extra) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (String e : extra) {
            int eq = e.indexOf('=');
            String k = e.substring(0, eq).trim();
            String v = e.substring(eq + 1).trim();
            if (v.isEmpty()) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }
        try {
            Path file = Files.createTempFile(tmp, "usher", ".properties");
            Files.writeString(file, m.entrySet().stream()
                    .map(x -> x.getKey() + " = " + x.getValue().replace("\\", "\\\\"))
                    .collect(Collectors.joining("\n")) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The users source {@code sourceId} owns in the H2 state directory {@code state}. */
    static List<User> storedUsers(Path state, String sourceId) {
        try (Database db = Database.pooled("jdbc:h2:file:" + state.toAbsolutePath().resolve("usher"), "sa", "", 2);
             Stream<User> users = JdbcUserStore.create(db).usersOwnedBy(sourceId)) {
            return users.collect(Collectors.toList());
        }
    }
}
