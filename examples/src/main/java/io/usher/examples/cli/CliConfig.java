package io.usher.examples.cli;

import io.usher.core.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CLI's configuration file: a properties file with the keys {@code Source.fromConfig} accepts
 * ({@code type}, {@code connector.*}, {@code pipeline.*}, {@code deprovision}, {@code guard.*}, ...) plus the
 * CLI's own ({@link #CLI_KEYS}). Values may name environment variables as {@code ${env:NAME}} (anywhere in
 * the value; {@code $${} stands for a literal {@code ${}), so secrets need not sit in the file. Errors are
 * {@link ConfigException}s naming the key (and the variable), never a value. Immutable.
 */
final class CliConfig {
    /** Keys the CLI reads itself; everything else goes to the source. */
    static final Set<String> CLI_KEYS = Set.of("source.id", "store.url", "store.user", "store.password");
    static final String DEFAULT_SOURCE_ID = "directory";

    private final Path file;
    private final Map<String, String> values;

    private CliConfig(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** Reads and resolves the file; env is where {@code ${env:NAME}} looks. */
    static CliConfig load(Path file, Map<String, String> env) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "the configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(null, "the configuration file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key.trim(), resolve(key.trim(), p.getProperty(key), env));
        }
        return new CliConfig(file, Collections.unmodifiableMap(out));
    }

    /** Replaces every {@code ${env:NAME}} in the value; {@code $${} is a literal {@code ${}. */
    static String resolve(String key, String value, Map<String, String> env) {
        StringBuilder sb = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                sb.append("${");
                i += 3;
                continue;
            }
            if (!value.startsWith("${", i)) {
                sb.append(value.charAt(i++));
                continue;
            }
            int end = value.indexOf('}', i + 2);
            if (end < 0) {
                throw new ConfigException(key, "has a '${' without a closing '}' at position " + i);
            }
            String ref = value.substring(i + 2, end);
            if (!ref.startsWith("env:")) {
                throw new ConfigException(key, "has a reference at position " + i
                        + " that is not ${env:NAME} (the only kind supported; write $${ for a literal ${)");
            }
            String name = ref.substring(4);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException(key, "has an environment variable reference at position " + i
                        + " whose name is not a valid variable name");
            }
            String v = env.get(name);
            if (v == null) {
                throw new ConfigException(key, "refers to the environment variable " + name + ", which is not set");
            }
            sb.append(v);
            i = end + 1;
        }
        return sb.toString();
    }

    Path file() {
        return file;
    }

    String sourceId() {
        return values.getOrDefault("source.id", DEFAULT_SOURCE_ID);
    }

    String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The keys that describe the source (everything but the CLI's own). */
    Map<String, String> sourceKeys() {
        Map<String, String> out = new TreeMap<>(values);
        out.keySet().removeAll(CLI_KEYS);
        return out;
    }

    Set<String> keys() {
        return values.keySet();
    }
}
