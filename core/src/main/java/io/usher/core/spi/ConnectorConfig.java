package io.usher.core.spi;

import io.usher.core.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Flat {@code key=value} configuration with typed, validating getters, so a host can keep a source's
 * configuration as properties. Every error is a {@link ConfigException} that names the key and never
 * echoes the value. {@link #toString()} lists keys only.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConnectorConfig {
    private final Map<String, String> values;

    private ConnectorConfig(Map<String, String> values) {
        this.values = values;
    }

    /** Configuration from a map; null values are treated as absent, keys are trimmed. */
    public static ConnectorConfig of(Map<String, String> map) {
        Map<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k.trim(), v.trim());
            }
        });
        return new ConnectorConfig(Collections.unmodifiableMap(copy));
    }

    /** The keys under {@code prefix}, with the prefix removed. */
    public ConnectorConfig subset(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new ConnectorConfig(Collections.unmodifiableMap(out));
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public String require(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, "is required"));
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    public double doubleValue(String key, double defaultValue, double min, double max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new ConfigException(key, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": return true;
            case "false": case "no": case "off": return false;
            default: throw new ConfigException(key, "must be true or false");
        }
    }

    /** A duration as ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 500ms}, {@code 5m}). */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            if (s.endsWith("s")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            if (s.endsWith("h")) return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException(key, "must be a duration such as 30s, 500ms, 5m or PT30S");
        }
        throw new ConfigException(key, "must be a duration such as 30s, 500ms, 5m or PT30S");
    }

    /** A comma-separated list; blanks dropped. */
    public List<String> list(String key) {
        return optional(key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .collect(Collectors.toUnmodifiableList())).orElse(List.of());
    }

    /** An enum constant by case-insensitive name; the error lists the allowed names. */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String wanted = v.get().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new ConfigException(key, "must be one of: " + allowed);
    }

    /** Rejects keys outside {@code known}, naming the first unknown key (a typo guard). */
    public void rejectUnknown(Set<String> known) {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException(k, "is not a known key; known keys: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    @Override
    public String toString() {
        return "ConnectorConfig" + values.keySet();
    }
}
