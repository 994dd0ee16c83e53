package io.usher.core.http;

import java.time.Duration;

/**
 * Waits between retries. Injectable so that tests record the waits instead of sleeping. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

    /** The real thing: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
