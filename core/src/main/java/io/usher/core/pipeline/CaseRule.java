package io.usher.core.pipeline;

import java.util.Locale;

/** How the final username's letter case is set. Case mapping uses {@link Locale#ROOT}. */
public enum CaseRule {
    PRESERVE,
    LOWER,
    UPPER;

    String apply(String s) {
        switch (this) {
            case LOWER: return s.toLowerCase(Locale.ROOT);
            case UPPER: return s.toUpperCase(Locale.ROOT);
            default: return s;
        }
    }
}
