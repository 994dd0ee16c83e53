package io.usher.testkit.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.ArrayList;
import java.util.List;

/** Client-side helpers for the tests: connect as the admin, paged search. */
final class Ldap {
    private Ldap() {}

    static LDAPConnection connect(LdapDirectoryServer server) throws LDAPException {
        return new LDAPConnection("127.0.0.1", server.port(), server.bindDn(), server.bindPassword());
    }

    /** Every entry of a subtree search, read with Simple Paged Results pages of {@code pageSize}. */
    static List<SearchResultEntry> paged(LDAPConnection c, String base, Filter filter, int pageSize,
            Control extra, String... attrs) throws LDAPException {
        List<SearchResultEntry> out = new ArrayList<>();
        ASN1OctetString cookie = null;
        do {
            SearchRequest r = new SearchRequest(base, SearchScope.SUB, filter, attrs);
            r.addControl(new SimplePagedResultsControl(pageSize, cookie));
            if (extra != null) {
                r.addControl(extra);
            }
            SearchResult result = c.search(r);
            out.addAll(result.getSearchEntries());
            SimplePagedResultsControl resp = SimplePagedResultsControl.get(result);
            cookie = resp == null ? null : resp.getCookie();
        } while (cookie != null && cookie.getValueLength() > 0);
        return out;
    }

    /** Active Directory's show-deleted control, critical as AD clients send it. */
    static Control showDeleted() {
        return new Control(LdapDirectoryServer.SHOW_DELETED_OID, true);
    }
}
