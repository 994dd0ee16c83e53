package io.usher.scim.internal;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped locks that serialise the read-check-write sequence of SCIM writes to one resource within this
 * JVM (an If-Match check and the write it guards; a PATCH's read and its write), so concurrent PATCHes to
 * one group lose no member and concurrent PUTs to one user end as one of them, whole. Thread-safe.
 */
final class ResourceLocks {
    private final ReentrantLock[] stripes;

    ResourceLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T with(String key, Supplier<T> body) {
        ReentrantLock l = stripes[Math.floorMod(key.hashCode() * 0x9E3779B9, stripes.length)];
        l.lock();
        try {
            return body.get();
        } finally {
            l.unlock();
        }
    }
}
