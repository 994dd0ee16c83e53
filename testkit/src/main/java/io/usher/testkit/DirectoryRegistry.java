package io.usher.testkit;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Directories registered by name, for the {@code memory} connector provider whose flat configuration cannot
 * carry an object. The only static mutable state in testkit, on purpose and documented on
 * {@link InMemoryDirectory#register}: entries exist only between a registration and its close. Thread-safe.
 */
final class DirectoryRegistry {
    private static final ConcurrentHashMap<String, InMemoryDirectory> BY_NAME = new ConcurrentHashMap<>();

    private DirectoryRegistry() {}

    static void register(String name, InMemoryDirectory directory) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        InMemoryDirectory previous = BY_NAME.putIfAbsent(name, directory);
        if (previous != null && previous != directory) {
            throw new IllegalStateException("another directory is registered as '" + name
                    + "'; close its registration first or pick a name unique to the test");
        }
    }

    static void unregister(String name, InMemoryDirectory directory) {
        BY_NAME.remove(name, directory);
    }

    static Optional<InMemoryDirectory> lookup(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name));
    }
}
