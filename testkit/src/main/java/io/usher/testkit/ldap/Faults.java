package io.usher.testkit.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The armed faults of one server. Thread-safe: one monitor guards every setting. */
final class Faults {
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private int failRemaining;
    private ResultCode failCode = ResultCode.BUSY;
    private long dropBudget = -1;
    private Duration delay = Duration.ZERO;

    /** What to do with one search result entry. */
    enum Verdict { SEND, DROP_CONNECTION }

    synchronized void failNextSearches(int count, ResultCode code) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        failRemaining = count;
        failCode = Objects.requireNonNull(code, "code");
    }

    synchronized void dropConnectionAfterEntries(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("entries must not be negative");
        }
        dropBudget = entries;
    }

    synchronized void delayEachEntry(Duration perEntry) {
        Objects.requireNonNull(perEntry, "perEntry");
        if (perEntry.isNegative()) {
            throw new IllegalArgumentException("perEntry must not be negative");
        }
        delay = perEntry;
    }

    synchronized void clear() {
        failRemaining = 0;
        dropBudget = -1;
        delay = Duration.ZERO;
    }

    /** Called before a search runs. */
    void beforeSearch() throws LDAPException {
        ResultCode code;
        synchronized (this) {
            if (failRemaining == 0) {
                return;
            }
            failRemaining--;
            code = failCode;
        }
        LOG.info("injected fault: failing a search with {}", code);
        throw new LDAPException(code, "injected fault: the server answered " + code.getName());
    }

    /** Called before each entry is sent (sleeping first if a delay is armed). */
    Verdict beforeEntry() throws InterruptedException {
        Duration wait;
        synchronized (this) {
            if (dropBudget == 0) {
                dropBudget = -1;
                LOG.info("injected fault: dropping the connection mid-search");
                return Verdict.DROP_CONNECTION;
            }
            if (dropBudget > 0) {
                dropBudget--;
            }
            wait = delay;
        }
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        }
        return Verdict.SEND;
    }
}
