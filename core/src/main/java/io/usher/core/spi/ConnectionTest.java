package io.usher.core.spi;

import java.util.List;

/** Capability: the connector can check that it reaches and may read its source. */
public interface ConnectionTest {

    /** Connects, authenticates and reads a little; never throws for a failed check, reports it. */
    Result test();

    /**
     * The outcome of a connection test: whether it passed, and one line per step in plain words (never a
     * secret).
     */
    record Result(boolean ok, List<String> steps) {
        public Result {
            steps = List.copyOf(steps);
        }

        public static Result ok(List<String> steps) {
            return new Result(true, steps);
        }

        public static Result failed(List<String> steps) {
            return new Result(false, steps);
        }
    }
}
