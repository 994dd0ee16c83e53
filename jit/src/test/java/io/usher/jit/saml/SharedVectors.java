package io.usher.jit.saml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared test vectors ({@code ../shared/vectors} seen from the repository root) by walking up from the
 * module's working directory. When they are absent the calling test is skipped with a clear message, except under
 * {@code CI=true}, where it fails: CI must never pass by skipping.
 */
final class SharedVectors {
    private SharedVectors() {
    }

    /** The folder {@code shared/vectors/<relative>}, if it is found above the working directory. */
    static Optional<Path> find(String relative) {
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("vectors").resolve(relative);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The folder {@code shared/vectors/<relative>}, or a skip (failure under CI) when it is missing. */
    static Path require(String relative) {
        Optional<Path> found = find(relative);
        if (found.isPresent()) {
            return found.get();
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        String message = "shared test vectors 'shared/vectors/" + relative + "' not found above " + start
                + " (expected at ../shared/vectors from the repository root)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(message + "; skipping");
        return null;
    }
}
