package io.usher.core;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls every listener, catching and logging what they throw so no listener can break a run. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final List<SyncListener> listeners;

    Listeners(List<SyncListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Whether nobody listens (so a run need not build events only listeners would see). */
    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void each(Consumer<SyncListener> call) {
        for (SyncListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw {}; ignored", l.getClass().getName(), e.toString());
            }
        }
    }
}
