package io.usher.testkit.ldap;

import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ReadOnlySearchRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the server does beyond UnboundID's in-memory server, as one interceptor: refuse anonymous
 * binds and writes; bring the entries up to date before each search; inject faults; and, for Active
 * Directory, hide tombstones without the show-deleted control, serve ranged {@code member} retrieval, and
 * keep {@code highestCommittedUSN} live in the root DSE.
 *
 * <p>Thread-safe: per-operation state lives in the intercepted operation's properties; the rest is in the
 * thread-safe {@link Replicator} and {@link Faults}.
 */
final class ServingInterceptor extends InMemoryOperationInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ServingInterceptor.class);
    private static final String SPECIAL = "usher.special";
    private static final String SHOW_DELETED = "usher.showDeleted";
    private static final String RANGE = "usher.range";
    private static final Pattern RANGE_OPTION = Pattern.compile("range=(\\d+)-(\\d+|\\*)");
    private static final DN SCHEMA = Layout.dn("cn=schema");

    private final boolean activeDirectory;
    private final Replicator replicator;
    private final Faults faults;

    /** A requested {@code member;range=lo-hi} ({@code hi} -1 for {@code *}). */
    record Range(int lo, int hi) {}

    ServingInterceptor(LdapDirectoryServer.Flavour flavour, Replicator replicator, Faults faults) {
        this.activeDirectory = flavour == LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY;
        this.replicator = replicator;
        this.faults = faults;
    }

    @Override
    public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
        if (request.getRequest().getBindDN().isEmpty() || request.getRequest().getPassword().getValueLength() == 0) {
            throw new LDAPException(ResultCode.INAPPROPRIATE_AUTHENTICATION, "anonymous binds are not allowed");
        }
    }

    @Override
    public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
        throw readOnly();
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
        throw readOnly();
    }

    @Override
    public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request) throws LDAPException {
        throw readOnly();
    }

    @Override
    public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
        throw readOnly();
    }

    private static LDAPException readOnly() {
        return new LDAPException(ResultCode.UNWILLING_TO_PERFORM,
                "this test server is read-only: change the InMemoryDirectory instead");
    }

    @Override
    public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
        ReadOnlySearchRequest req = request.getRequest();
        DN base = req.getParsedBaseDN();
        boolean special = base.isNullDN() || base.equals(SCHEMA);
        request.setProperty(SPECIAL, special);
        try {
            replicator.catchUp();
        } catch (LDAPException | RuntimeException e) {
            LOG.warn("could not apply the directory's changes to the LDAP entries", e);
            throw new LDAPException(ResultCode.OTHER, "the test server could not apply the directory's changes");
        }
        if (!special) {
            faults.beforeSearch();
        }
        if (!activeDirectory) {
            return;
        }
        SearchRequest copy = null;
        if (req.hasControl(LdapDirectoryServer.SHOW_DELETED_OID)) {
            copy = req.duplicate();
            List<Control> kept = new ArrayList<>();
            for (Control c : req.getControlList()) {
                if (!c.getOID().equals(LdapDirectoryServer.SHOW_DELETED_OID)) {
                    kept.add(c);
                }
            }
            copy.setControls(kept);
            request.setProperty(SHOW_DELETED, Boolean.TRUE);
        }
        List<String> attrs = new ArrayList<>(req.getAttributeList());
        boolean rewritten = false;
        for (int i = 0; i < attrs.size(); i++) {
            Range r = rangeOf(attrs.get(i));
            if (r != null) {
                if (request.getProperty(RANGE) == null) {
                    request.setProperty(RANGE, r);
                }
                attrs.set(i, "member");
                rewritten = true;
            }
        }
        if (rewritten) {
            if (copy == null) {
                copy = req.duplicate();
            }
            copy.setAttributes(attrs);
        }
        if (copy != null) {
            request.setRequest(copy);
        }
    }

    /** The range of a requested {@code member;range=lo-hi} or {@code member;range=lo-*}, else null. */
    static Range rangeOf(String requested) {
        if (!Attribute.getBaseName(requested).equalsIgnoreCase("member")) {
            return null;
        }
        for (String option : Attribute.getOptions(requested)) {
            Matcher m = RANGE_OPTION.matcher(option.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                try {
                    int lo = Integer.parseInt(m.group(1));
                    int hi = m.group(2).equals("*") ? -1 : Integer.parseInt(m.group(2));
                    return hi >= 0 && hi < lo ? null : new Range(lo, hi);
                } catch (NumberFormatException tooBig) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
        SearchResultEntry entry = result.getSearchEntry();
        if (!Boolean.TRUE.equals(result.getProperty(SPECIAL))) {
            try {
                if (faults.beforeEntry() == Faults.Verdict.DROP_CONNECTION) {
                    dropCurrentConnection();
                    result.setSearchEntry(null);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!activeDirectory) {
            return;
        }
        DN dn;
        try {
            dn = entry.getParsedDN();
        } catch (LDAPException e) {
            return;
        }
        if (dn.isNullDN()) {
            result.setSearchEntry(rootDse(entry));
            return;
        }
        if (!Boolean.TRUE.equals(result.getProperty(SHOW_DELETED))
                && dn.isDescendantOf(Layout.ActiveDirectory.DELETED_OBJECTS, true)) {
            result.setSearchEntry(null);
            return;
        }
        Attribute member = entry.getAttribute("member");
        if (member != null) {
            Entry ranged = ranged(entry, member, (Range) result.getProperty(RANGE));
            if (ranged != null) {
                result.setSearchEntry(ranged);
            }
        }
    }

    /**
     * The in-memory server answers a request on its connection's own reader thread, which is the
     * {@link LDAPListenerClientConnection}: closing it drops the socket, as a failing server or a
     * load balancer's idle timeout does.
     */
    private static void dropCurrentConnection() {
        if (Thread.currentThread() instanceof LDAPListenerClientConnection connection) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("closing the connection for an injected fault failed", e);
            }
        } else {
            LOG.warn("injected fault: cannot drop the connection from thread {}", Thread.currentThread().getName());
        }
    }

    private Entry rootDse(SearchResultEntry entry) {
        Entry e = entry.duplicate();
        if (e.hasAttribute("highestCommittedUSN")) {
            e.setAttribute("highestCommittedUSN", Long.toString(replicator.usn()));
        }
        if (e.hasAttribute("supportedControl")
                && !e.hasAttributeValue("supportedControl", LdapDirectoryServer.SHOW_DELETED_OID)) {
            e.addAttribute("supportedControl", LdapDirectoryServer.SHOW_DELETED_OID);
        }
        return e;
    }

    /**
     * Active Directory's ranged retrieval: above {@value LdapDirectoryServer#MAX_VAL_RANGE} values, or when a
     * range was asked for, {@code member} becomes {@code member;range=lo-hi} ({@code lo-*} on the last chunk).
     * Returns null to leave the entry as it is.
     */
    static Entry ranged(Entry entry, Attribute member, Range asked) {
        String[] values = member.getValues();
        int n = values.length;
        if (asked == null && n <= LdapDirectoryServer.MAX_VAL_RANGE) {
            return null;
        }
        int lo = asked == null ? 0 : asked.lo();
        Entry e = entry.duplicate();
        e.removeAttribute(member.getName());
        if (lo >= n) {
            return e; // nothing left in that range: the attribute is absent
        }
        long hiAsked = asked == null || asked.hi() < 0 ? Long.MAX_VALUE : asked.hi();
        int hi = (int) Math.min(Math.min(hiAsked, (long) lo + LdapDirectoryServer.MAX_VAL_RANGE - 1), n - 1L);
        String name = "member;range=" + lo + "-" + (hi == n - 1 ? "*" : Integer.toString(hi));
        e.addAttribute(new Attribute(name, Arrays.copyOfRange(values, lo, hi + 1)));
        return e;
    }
}
