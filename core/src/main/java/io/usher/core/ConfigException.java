package io.usher.core;

/** A configuration key is missing or invalid. Names the key, never echoes its value. */
public class ConfigException extends UsherException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super(Code.CONFIG, key == null ? problem : "configuration key '" + key + "': " + problem);
        this.key = key;
    }

    /** The offending key, or {@code null} when the problem is not about one key. */
    public String key() {
        return key;
    }
}
