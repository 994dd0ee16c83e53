package io.usher.core.spi;

import io.usher.core.UsherException;

/**
 * A store refused a create or update because the username or group name is taken by another record
 * (compared case-insensitively). Carries the key of the record that holds the name, if the store knows it.
 */
public class ConflictException extends UsherException {
    private static final long serialVersionUID = 1L;
    private final String holderKey;

    public ConflictException(String what, String holderKey) {
        super(Code.CONFLICT, what + " is already taken by another record");
        this.holderKey = holderKey;
    }

    public String holderKey() {
        return holderKey;
    }
}
