package io.usher.core;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls every listener, catching and logging what they throw so no listener can break a run. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final List<SyncListener> listeners;

    /** Whether any listener overrides {@link SyncListener#onChange}. */
    private final boolean hearsChanges;

    Listeners(List<SyncListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.hearsChanges = this.listeners.stream().anyMatch(Listeners::overridesOnChange);
    }

    /**
     * Whether some listener wants each change (so a run builds the events only such listeners would see): one
     * that only follows progress (a CLI's progress line) or warnings does not make a sync build an event per
     * membership.
     */
    boolean hearsChanges() {
        return hearsChanges;
    }

    private static boolean overridesOnChange(SyncListener l) {
        try {
            return l.getClass().getMethod("onChange", String.class, Change.class).getDeclaringClass()
                    != SyncListener.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true; // cannot tell: assume it listens
        }
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
