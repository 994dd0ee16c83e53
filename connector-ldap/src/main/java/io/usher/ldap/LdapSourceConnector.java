package io.usher.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.controls.ContentSyncDoneControl;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncState;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.StaticUtils;
import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Values;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.time.Clock;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads users and groups from an LDAP directory or Active Directory.
 *
 * <ul>
 *   <li><b>Snapshot</b>: Simple Paged Results over the users base, then the groups base, streaming page by
 *       page (one page in memory at a time). The origin id is the immutable id attribute (objectGUID rendered
 *       canonically, or entryUUID), never the DN. To turn member DNs into ids it keeps a DN→id map of the
 *       users and groups it read (ids only, like the engine).
 *   <li><b>Groups</b>: direct members from {@code member}, {@code uniqueMember} and {@code memberUid};
 *       Active Directory's ranged retrieval ({@code member;range=0-1499}, …) is followed to the end, so big
 *       groups arrive whole. Member groups are reported as nested groups; the engine resolves nesting and
 *       reports cycles. <b>Members outside the configured bases</b> (or filtered out) are reported to the
 *       engine under the id {@code dn:<DN>}: the engine counts them as outside the source's scope and says
 *       so in the sync report's warnings — never silently dropped.
 *   <li><b>Incremental</b>: Active Directory by {@code uSNChanged} above the stored high-water mark, with the
 *       DC's {@code invocationId} checked (another DC or a restore forces a full snapshot) and deletions read
 *       from the Deleted Objects container with the show-deleted control; other servers by
 *       {@code modifyTimestamp} with a safety margin, which cannot see deletions, so a full snapshot is forced
 *       every {@code fullReconcileAfter}. Both force a snapshot at that interval, which also catches entries
 *       that moved out of a base or filter.
 *   <li>Filters are built with the SDK's factories; values are never concatenated into filter strings.
 *   <li>Errors name the server and the LDAP result code, never the bind password.
 * </ul>
 *
 * <p>Not thread-safe for concurrent reads (the engine runs one read of a source at a time); {@link #close()}
 * may be called from any thread.
 */
public final class LdapSourceConnector implements SourceConnector, IncrementalSource, NestedGroupSource,
        ConnectionTest {
    private static final Logger LOG = LoggerFactory.getLogger(LdapSourceConnector.class);
    static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";
    static final String PAGED_RESULTS_OID = SimplePagedResultsControl.PAGED_RESULTS_OID;
    private static final int RANGE_LIMIT_GUARD = 10_000;

    private final LdapConfig config;
    private final Clock clock;
    private final LdapReader reader;
    /**
     * Attribute names as the entry lookups want them: the SDK lower-cases the name on every lookup, which
     * allocates unless it is lower case already (several lookups per entry, 110,000 entries a sync).
     */
    private final String idAttr, loginAttr, displayNameAttr, givenNameAttr, familyNameAttr, emailAttr, kindAttr,
            memberOfAttr;

    public LdapSourceConnector(LdapConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With an injected clock (tests of the periodic full reconciliation). */
    public LdapSourceConnector(LdapConfig config, Clock clock) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.reader = new LdapReader(config);
        this.idAttr = lower(config.idAttribute);
        this.loginAttr = lower(config.loginAttribute);
        this.displayNameAttr = lower(config.displayNameAttribute);
        this.givenNameAttr = lower(config.givenNameAttribute);
        this.familyNameAttr = lower(config.familyNameAttribute);
        this.emailAttr = lower(config.emailAttribute);
        this.kindAttr = lower(config.kindAttribute);
        this.memberOfAttr = lower(config.preset.memberOfAttribute);
    }

    private static String lower(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String type() {
        return "ldap";
    }

    public LdapConfig config() {
        return config;
    }

    // ================================================================== snapshot

    @Override
    public void snapshot(SnapshotSink sink) throws SourceException {
        String cursor = startCursor();
        MemberResolver resolver = new MemberResolver(this::lookupDn);
        long[] read = {0};
        // users: entries become records on the reader thread (which alone touches the resolver until the
        // read ends), the engine takes them here
        reader.paged(config.usersBase, config.userFilter, config.userAttributes(), List.of(), e -> {
            try {
                SourceUser u = toUser(e);
                if (u != null) {
                    resolver.put(resolver.users, e.getDN(), u.externalId());
                    if (u.loginName() != null) {
                        resolver.logins.put(u.loginName().toLowerCase(Locale.ROOT), u.externalId());
                    }
                }
                return u;
            } catch (UnreadableEntry x) {
                resolver.put(resolver.users, e.getDN(), x.id);
                return x;
            }
        }, (Object o) -> {
            if (o instanceof UnreadableEntry) {
                UnreadableEntry x = (UnreadableEntry) o;
                sink.unreadable(MemberKind.USER, x.id, x.getMessage());
            } else {
                sink.user((SourceUser) o);
            }
            if (++read[0] % 1000 == 0) {
                sink.progress(read[0], -1);
            }
        });
        // groups in one read: each group's DN is known from its own entry on; a member value that names no DN
        // read so far (a group further on, or something outside) waits, with its group, for the read's end
        List<PendingGroup> pending = new ArrayList<>();
        resolver.deferUnknown = true;
        reader.paged(config.groupsBase, config.groupFilter, groupAttributes(), List.of(), e -> {
            String id = idOf(e);
            if (id != null) {
                resolver.put(resolver.groups, e.getDN(), id);
            }
            try {
                return toGroup(e, resolver);
            } catch (UnreadableEntry x) {
                return x;
            }
        }, (Object o) -> {
            if (o instanceof UnreadableEntry) {
                UnreadableEntry x = (UnreadableEntry) o;
                sink.unreadable(MemberKind.GROUP, x.id, x.getMessage());
            } else if (o instanceof PendingGroup) {
                pending.add((PendingGroup) o);
            } else {
                sink.group((SourceGroup) o);
            }
            if (++read[0] % 1000 == 0) {
                sink.progress(read[0], -1);
            }
        });
        // the page reader has ended: the resolver is this thread's now, and knows every group's DN
        resolver.deferUnknown = false;
        for (PendingGroup p : pending) {
            try {
                sink.group(p.finish(resolver));
            } catch (UnreadableEntry x) {
                sink.unreadable(MemberKind.GROUP, x.id, x.getMessage());
            }
        }
        if (resolver.outside > 0) {
            LOG.info("LDAP snapshot: {} member values point outside the configured bases or filters; reported "
                    + "as dn:<DN> ids (the engine counts them as out of scope)", resolver.outside);
        }
        sink.progress(read[0], read[0]);
        if (cursor != null) {
            sink.cursor(cursor);
        }
    }


    private String[] lookupDn(String dn) {
        try {
            SearchResultEntry e = reader.withConnection(c -> c.getEntry(dn, config.idAttribute, "objectClass"));
            if (e == null || idOf(e) == null) {
                return null;
            }
            boolean isGroup = inBase(dn, config.groupsBase) && config.groupFilter.matchesEntry(e);
            boolean isUser = inBase(dn, config.usersBase) && config.userFilter.matchesEntry(e);
            return isGroup ? new String[] {"g", idOf(e)} : isUser ? new String[] {"u", idOf(e)} : null;
        } catch (LDAPException e) {
            return null;
        }
    }

    /**
     * The id of the one user in scope whose login attribute equals this memberUid value (the server's matching
     * rule decides case), or "" for none or more than one.
     */
    private String lookupLogin(String login) {
        Filter f = Filter.createANDFilter(config.userFilter, Filter.createEqualityFilter(config.loginAttribute, login));
        return reader.withConnection(c -> {
            SearchRequest r = new SearchRequest(config.usersBase, SearchScope.SUB, f, config.idAttribute);
            r.setSizeLimit(2);
            r.setResponseTimeoutMillis(config.responseTimeout.toMillis());
            SearchResult res;
            try {
                res = c.search(r);
            } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                    return ""; // ambiguous, or no users base
                }
                throw e;
            }
            if (res.getEntryCount() != 1) {
                return "";
            }
            String id = idOf(res.getSearchEntries().get(0));
            return id == null ? "" : id;
        });
    }

    private static boolean inBase(String dn, String base) {
        try {
            return new DN(dn).isDescendantOf(new DN(base), true);
        } catch (LDAPException e) {
            return false;
        }
    }

    // ================================================================== mapping entries

    /** An entry with an id but a value Usher refuses; reported to the engine with {@code unreadable}. */
    private static final class UnreadableEntry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String id;

        UnreadableEntry(String id, String reason) {
            super(reason, null, false, false);
            this.id = id;
        }
    }

    /**
     * Converts and hands on one user entry; an entry with refused values is reported as unreadable. With a
     * resolver, the user's login is remembered (for posixGroup memberUid).
     */
    private void deliverUser(SearchResultEntry e, MemberResolver resolver, SnapshotSink sink) {
        try {
            SourceUser u = toUser(e);
            if (u == null) {
                return;
            }
            if (resolver != null && u.loginName() != null) {
                resolver.logins.put(u.loginName().toLowerCase(Locale.ROOT), u.externalId());
            }
            sink.user(u);
        } catch (UnreadableEntry x) {
            sink.unreadable(MemberKind.USER, x.id, x.getMessage());
        }
    }

    /** Converts and hands on one group entry; an entry with refused values is reported as unreadable. */
    private void deliverGroup(SearchResultEntry e, MemberResolver resolver, SnapshotSink sink) {
        try {
            SourceGroup g = (SourceGroup) toGroup(e, resolver); // never pending: only snapshots defer
            if (g != null) {
                sink.group(g);
            }
        } catch (UnreadableEntry x) {
            sink.unreadable(MemberKind.GROUP, x.id, x.getMessage());
        }
    }

    private String idOf(SearchResultEntry e) {
        if (config.preset.binaryGuid && config.idAttribute.equalsIgnoreCase("objectGUID")) {
            byte[] b = e.getAttributeValueBytes(idAttr);
            return b == null || b.length != 16 ? null : Guids.toCanonical(b);
        }
        String v = e.getAttributeValue(idAttr);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    /**
     * One user entry as a source record, built directly (no builder, immutable collections made once: the
     * record keeps them as they are). Values the model refuses make the entry unreadable.
     */
    SourceUser toUser(SearchResultEntry e) {
        String id = idOf(e);
        if (id == null) {
            LOG.warn("LDAP entry without {} skipped: {}", config.idAttribute, e.getDN());
            return null;
        }
        String[] mails = e.getAttributeValues(emailAttr);
        SourceUser.Kind kind = SourceUser.Kind.MEMBER;
        String kindValue = e.getAttributeValue(kindAttr);
        if (kindValue != null) {
            String k = kindValue.toLowerCase(Locale.ROOT);
            kind = k.equals("guest") ? SourceUser.Kind.GUEST : k.equals("service") ? SourceUser.Kind.SERVICE
                    : SourceUser.Kind.MEMBER;
        }
        Set<String> groupNames = Set.of();
        String[] memberOf = e.getAttributeValues(memberOfAttr);
        if (memberOf != null) {
            Set<String> names = new LinkedHashSet<>();
            for (String dn : memberOf) {
                try {
                    names.add(new DN(dn).getRDN().getAttributeValues()[0]);
                } catch (LDAPException ex) {
                    // an unparseable memberOf value names no group
                }
            }
            groupNames = names;
        }
        Map<String, List<String>> extra;
        String upn = config.preset == Preset.ACTIVE_DIRECTORY ? e.getAttributeValue("userPrincipalName") : null;
        if (upn == null && config.extraAttributes.isEmpty()) {
            extra = Map.of("dn", List.of(e.getDN()));
        } else {
            extra = new LinkedHashMap<>();
            if (upn != null) {
                extra.put("userPrincipalName", List.of(upn));
            }
            extra.put("dn", List.of(e.getDN()));
            for (String a : config.extraAttributes) {
                String[] v = e.getAttributeValues(a);
                if (v != null) {
                    extra.put(a, List.of(v));
                }
            }
        }
        try {
            return new SourceUser(id, e.getAttributeValue(loginAttr),
                    e.getAttributeValue(displayNameAttr), e.getAttributeValue(givenNameAttr),
                    e.getAttributeValue(familyNameAttr), mails == null ? List.of() : List.of(mails),
                    !disabled(e), kind, groupNames, extra);
        } catch (IllegalArgumentException ex) {
            throw new UnreadableEntry(id, ex.getMessage());
        }
    }

    private boolean disabled(SearchResultEntry e) {
        if (config.preset == Preset.ACTIVE_DIRECTORY) {
            String uac = e.getAttributeValue("userAccountControl");
            if (uac != null) {
                try {
                    return (Long.parseLong(uac.trim()) & 0x2L) != 0;
                } catch (NumberFormatException ex) {
                    return false;
                }
            }
            return false;
        }
        return e.hasAttribute("pwdaccountlockedtime");
    }

    /** The Active Directory matching rule that follows group nesting on the DC (LDAP_MATCHING_RULE_IN_CHAIN). */
    static final String IN_CHAIN_OID = "1.2.840.113556.1.4.1941";

    /**
     * One group entry as a source record; or, while a snapshot defers unknown member values
     * ({@link MemberResolver#deferUnknown}) and the entry has some, a {@link PendingGroup}; or null for an entry
     * without an id or name.
     */
    Object toGroup(SearchResultEntry e, MemberResolver resolver) throws SourceException {
        String id = idOf(e);
        String name = e.getAttributeValue("cn");
        if (id == null || name == null) {
            LOG.warn("LDAP group without {} or cn skipped: {}", config.idAttribute, e.getDN());
            return null;
        }
        String description = e.getAttributeValue("description");
        if (config.matchingRuleInChain) {
            Set<String> effective = new LinkedHashSet<>();
            Filter inChain = Filter.createANDFilter(config.userFilter,
                    Filter.createExtensibleMatchFilter("memberOf", IN_CHAIN_OID, false, e.getDN()));
            reader.paged(config.usersBase, inChain, List.of(config.idAttribute), List.of(), u -> {
                String uid = idOf(u);
                if (uid != null) {
                    effective.add(uid);
                }
            });
            return groupRecord(id, name, description, List.copyOf(effective), Set.of());
        }
        // a list, made a set once at the end: member values are distinct as a rule, so no per-member hash set
        List<String> users = null;
        Set<String> groups = new HashSet<>();
        List<byte[]> unknown = null;
        for (String memberAttr : config.preset.memberAttributes) {
            List<byte[]> values = memberValues(e, memberAttr);
            if (users == null) {
                users = new ArrayList<>(values.size());
            }
            if (memberAttr.equalsIgnoreCase("memberUid")) {
                for (byte[] raw : values) {
                    String value = new String(raw, StandardCharsets.UTF_8);
                    String uid = resolver.logins.get(value.toLowerCase(Locale.ROOT));
                    if (uid == null && resolver.lookup) {
                        // an incremental read knows only the logins it read in its window: ask the server, or
                        // the group would arrive without its unchanged members (and they would be removed)
                        uid = resolver.loginLookups.computeIfAbsent(value.toLowerCase(Locale.ROOT),
                                k -> lookupLogin(value));
                    }
                    if (uid != null && !uid.isEmpty()) {
                        users.add(uid);
                    } else {
                        resolver.outside++;
                        users.add("uid:" + value);
                    }
                }
                continue;
            }
            List<String> u = users;
            List<byte[]> later = unknown == null ? new ArrayList<>(0) : unknown;
            resolver.resolveAll(values, (raw, r, isGroup) -> {
                if (r == null && resolver.deferUnknown) {
                    later.add(raw);
                } else {
                    addMember(id, raw, r, isGroup, resolver, u, groups);
                }
            });
            unknown = later.isEmpty() ? null : later;
        }
        if (users == null) {
            users = List.of();
        }
        return unknown == null ? groupRecord(id, name, description, users, groups)
                : new PendingGroup(id, name, description, users, groups, unknown);
    }

    /** Files one resolved member value ({@code r}, null for outside) as a user or a group member. */
    private static void addMember(String id, byte[] raw, String r, boolean isGroup, MemberResolver resolver,
                                  List<String> users, Set<String> groups) {
        if (r == null) {
            resolver.outside++;
            users.add("dn:" + new String(raw, StandardCharsets.UTF_8));
        } else if (!isGroup) {
            users.add(r);
        } else if (!r.equals(id)) {
            groups.add(r);
        }
    }

    private static SourceGroup groupRecord(String id, String name, String description, List<String> users,
                                           Set<String> groups) {
        try {
            // copied once, duplicates dropped (one user named by member and uniqueMember, say)
            return new SourceGroup(id, name, description, Values.copySet(users, "memberUserIds"), groups, Map.of());
        } catch (IllegalArgumentException ex) {
            throw new UnreadableEntry(id, ex.getMessage());
        }
    }

    /**
     * A group read by a snapshot with member values that named no DN read before it: a group further on in
     * the read, or something outside the bases. Finished when the read has ended and every group's DN is
     * known, so nested groups resolve whatever order the server returns groups in, without reading the groups
     * twice. Only such groups wait, as records (their raw entries are gone): member ids are the index's own
     * strings, so even if every group waited (each naming one DN outside the bases, say) the waiting records
     * cost about a reference per membership — ~15 MB for the 3.2 million memberships of the 1M-user run.
     */
    private record PendingGroup(String id, String name, String description, List<String> users, Set<String> groups,
                                List<byte[]> unknown) {
        SourceGroup finish(MemberResolver resolver) {
            for (byte[] raw : unknown) {
                String r = resolver.resolve(raw);
                addMember(id, raw, r, r != null && resolver.lastWasGroup, resolver, users, groups);
            }
            return groupRecord(id, name, description, users, groups);
        }
    }

    /**
     * All values of a member attribute, following Active Directory's ranged retrieval: an entry with more
     * values than the DC's MaxValRange carries {@code member;range=0-1499}; the rest is read range by range.
     */
    private List<byte[]> memberValues(SearchResultEntry e, String attr) throws SourceException {
        List<byte[]> out = new ArrayList<>();
        Attribute plain = e.getAttribute(attr);
        if (plain != null) {
            out.addAll(Arrays.asList(plain.getValueByteArrays()));
        }
        for (Attribute a : e.getAttributes()) {
            if (!a.getBaseName().equalsIgnoreCase(attr) || !a.hasOptions()) {
                continue;
            }
            String range = rangeOption(a);
            if (range == null) {
                continue;
            }
            out.addAll(Arrays.asList(a.getValueByteArrays()));
            String end = range.substring(range.indexOf('-') + 1);
            int rounds = 0;
            while (!end.equals("*")) {
                if (++rounds > RANGE_LIMIT_GUARD) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA,
                            "ranged retrieval of " + attr + " on " + e.getDN() + " does not end");
                }
                long next = Long.parseLong(end) + 1;
                String want = attr + ";range=" + next + "-*";
                SearchResultEntry more = reader.withConnection(c -> c.getEntry(e.getDN(), want));
                if (more == null) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA,
                            "the group " + e.getDN() + " vanished during ranged retrieval");
                }
                Attribute chunk = null;
                for (Attribute ma : more.getAttributes()) {
                    if (ma.getBaseName().equalsIgnoreCase(attr) && rangeOption(ma) != null) {
                        chunk = ma;
                    }
                }
                if (chunk == null) {
                    break; // the server had no more values
                }
                out.addAll(Arrays.asList(chunk.getValueByteArrays()));
                String r = rangeOption(chunk);
                end = r.substring(r.indexOf('-') + 1);
            }
        }
        return out;
    }

    private static String rangeOption(Attribute a) {
        for (String o : a.getOptions()) {
            if (o.toLowerCase(Locale.ROOT).startsWith("range=") && o.indexOf('-') > 0) {
                return o.substring(6);
            }
        }
        return null;
    }

    // ================================================================== incremental

    /**
     * The cursor a snapshot ends with: {@code ad:<invocationId>:<usn>:<epochMillis>} for Active Directory,
     * {@code ts:<generalizedTime>:<epochMillis>} otherwise (the time of the snapshot, for the periodic full
     * reconciliation).
     */
    private String startCursor() throws SourceException {
        long now = clock.millis();
        if (config.preset == Preset.ACTIVE_DIRECTORY) {
            AdState s = adState();
            return s == null ? null : "ad:" + s.invocationId + ":" + s.usn + ":" + now;
        }
        if (supportsContentSync()) {
            // a cookie for "now": a refresh of a filter that matches nothing returns no entries, only the cookie
            Filter nothing = Filter.createEqualityFilter("objectClass", "usherMatchesNothing");
            return "sync:" + encode(contentSync(config.usersBase, nothing, null, List.of("1.1")).cookie) + ":"
                    + encode(contentSync(config.groupsBase, nothing, null, List.of("1.1")).cookie) + ":" + now;
        }
        return "ts:" + StaticUtils.encodeGeneralizedTime(clock.millis() - config.timestampMargin.toMillis()) + ":" + now;
    }

    // ================================================================== RFC 4533 content synchronisation

    private boolean supportsContentSync() throws SourceException {
        return reader.withConnection(c -> {
            RootDSE root = c.getRootDSE();
            return root != null && root.supportsControl(ContentSyncRequestControl.SYNC_REQUEST_OID);
        });
    }

    /** What one refreshOnly content-sync search returned. */
    private static final class SyncResult {
        final List<SearchResultEntry> changed = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        boolean fullReload;
        ASN1OctetString cookie;
    }

    private SyncResult contentSync(String base, Filter filter, ASN1OctetString cookie, List<String> attributes)
            throws SourceException {
        SyncResult out = new SyncResult();
        RuntimeException[] trouble = new RuntimeException[1];
        SearchResultListener listener = new SearchResultListener() {
            private static final long serialVersionUID = 1L;

            @Override
            public void searchEntryReturned(SearchResultEntry e) {
                try {
                    ContentSyncStateControl st = ContentSyncStateControl.get(e);
                    if (st == null) {
                        out.changed.add(e);
                    } else if (st.getState() == ContentSyncState.DELETE) {
                        out.deleted.add(st.getEntryUUID().toString());
                    } else if (st.getState() == ContentSyncState.ADD || st.getState() == ContentSyncState.MODIFY) {
                        out.changed.add(e);
                    }
                } catch (LDAPException ex) {
                    trouble[0] = new SourceException(UsherException.Code.SOURCE_DATA,
                            "an unreadable content-sync state on " + e.getDN(), null);
                }
            }

            @Override
            public void searchReferenceReturned(SearchResultReference r) {
                // referrals are not followed
            }
        };
        reader.withConnection(c -> {
            SearchRequest r = new SearchRequest(listener, base, SearchScope.SUB, filter,
                    attributes.toArray(new String[0]));
            r.setControls(new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_ONLY, cookie, false));
            r.setResponseTimeoutMillis(config.responseTimeout.toMillis());
            r.setIntermediateResponseListener(ir -> {
                try {
                    ContentSyncInfoIntermediateResponse info = ContentSyncInfoIntermediateResponse.decode(ir);
                    if (info.getCookie() != null) {
                        out.cookie = info.getCookie();
                    }
                    if (info.getEntryUUIDs() != null) {
                        if (info.refreshDeletes()) {
                            info.getEntryUUIDs().forEach(u -> out.deleted.add(u.toString()));
                        } else {
                            out.fullReload = true; // a present phase: the server no longer has our point in its log
                        }
                    }
                } catch (LDAPException ex) {
                    trouble[0] = new SourceException(UsherException.Code.SOURCE_DATA,
                            "an unreadable content-sync message from the server", null);
                }
            });
            SearchResult result = c.search(r);
            ContentSyncDoneControl done = ContentSyncDoneControl.get(result);
            if (done != null && done.getCookie() != null) {
                out.cookie = done.getCookie();
            }
            return null;
        }, e -> out.changed.isEmpty() && out.deleted.isEmpty() && out.cookie == null && !out.fullReload
                && trouble[0] == null); // nothing heard yet: the request may go again
        if (trouble[0] != null) {
            throw trouble[0];
        }
        if (out.cookie == null) {
            if (cookie == null) {
                throw new SourceException(UsherException.Code.SOURCE_DATA,
                        "the server answered a content-sync request without a cookie", null);
            }
            out.cookie = cookie; // nothing changed: the server keeps the point we gave it
        }
        return out;
    }

    private void contentSyncChanges(String usersCookie, String groupsCookie, long snapshotAt, ChangeSink sink)
            throws SourceException {
        SyncResult users = contentSync(config.usersBase, config.userFilter, decode(usersCookie),
                config.userAttributes());
        SyncResult groups = contentSync(config.groupsBase, config.groupFilter, decode(groupsCookie),
                groupAttributes());
        if (users.fullReload || groups.fullReload) {
            throw SourceException.cursorInvalid("the server's content-sync log no longer reaches the stored cookie");
        }
        for (SearchResultEntry e : users.changed) {
            deliverUser(e, null, sink);
        }
        MemberResolver resolver = new MemberResolver(this::lookupDn);
        resolver.lookup = true;
        for (SearchResultEntry e : groups.changed) {
            deliverGroup(e, resolver, sink);
        }
        users.deleted.forEach(sink::userDeleted);
        groups.deleted.forEach(sink::groupDeleted);
        sink.cursor("sync:" + encode(users.cookie) + ":" + encode(groups.cookie) + ":" + snapshotAt);
    }

    private List<String> groupAttributes() {
        List<String> attrs = new ArrayList<>(List.of(config.idAttribute, "cn", "description"));
        attrs.addAll(config.preset.memberAttributes);
        return attrs;
    }

    private static String encode(ASN1OctetString cookie) {
        return java.util.Base64.getEncoder().encodeToString(cookie.getValue());
    }

    private static ASN1OctetString decode(String cookie) {
        try {
            return new ASN1OctetString(java.util.Base64.getDecoder().decode(cookie));
        } catch (IllegalArgumentException e) {
            throw SourceException.cursorInvalid("the cursor is not one this connector issued");
        }
    }

    private record AdState(String invocationId, long usn, String namingContext) {}

    private AdState adState() throws SourceException {
        return reader.withConnection(c -> {
            RootDSE root = c.getRootDSE();
            if (root == null) {
                return null;
            }
            String usn = root.getAttributeValue("highestCommittedUSN");
            String service = root.getAttributeValue("dsServiceName");
            if (usn == null || service == null) {
                return null;
            }
            SearchResultEntry ntds = c.getEntry(service, "invocationId");
            byte[] inv = ntds == null ? null : ntds.getAttributeValueBytes("invocationId");
            if (inv == null) {
                return null;
            }
            return new AdState(Guids.hex(inv), Long.parseLong(usn.trim()),
                    root.getAttributeValue("defaultNamingContext"));
        });
    }

    @Override
    public void changes(String cursor, ChangeSink sink) throws SourceException {
        String[] parts = cursor == null ? new String[0] : cursor.split(":");
        if (parts.length < 3) {
            throw SourceException.cursorInvalid("the cursor is not one this connector issued");
        }
        long snapshotAt;
        try {
            snapshotAt = Long.parseLong(parts[parts.length - 1]);
        } catch (NumberFormatException e) {
            throw SourceException.cursorInvalid("the cursor is not one this connector issued");
        }
        if (clock.millis() - snapshotAt > config.fullReconcileAfter.toMillis()) {
            throw SourceException.cursorInvalid("a periodic full reconciliation is due (last snapshot "
                    + Instant.ofEpochMilli(snapshotAt) + ")");
        }
        if (parts[0].equals("ad") && parts.length == 4 && config.preset == Preset.ACTIVE_DIRECTORY) {
            adChanges(parts[1], Long.parseLong(parts[2]), snapshotAt, sink);
        } else if (parts[0].equals("sync") && parts.length == 4 && config.preset != Preset.ACTIVE_DIRECTORY) {
            contentSyncChanges(parts[1], parts[2], snapshotAt, sink);
        } else if (parts[0].equals("ts") && parts.length == 3 && config.preset != Preset.ACTIVE_DIRECTORY) {
            timestampChanges(parts[1], snapshotAt, sink);
        } else {
            throw SourceException.cursorInvalid("the cursor is not one this connector issued");
        }
    }

    private void adChanges(String invocationId, long usn, long snapshotAt, ChangeSink sink) throws SourceException {
        AdState now = adState();
        if (now == null) {
            throw SourceException.cursorInvalid("the server no longer reports highestCommittedUSN and invocationId");
        }
        if (!now.invocationId.equals(invocationId)) {
            throw SourceException.cursorInvalid("the domain controller changed or was restored (invocationId "
                    + "differs); its USNs cannot be compared with the stored cursor");
        }
        Filter since = Filter.createGreaterOrEqualFilter("uSNChanged", Long.toString(usn + 1));
        readChangedEntries(since, sink);
        if (now.namingContext != null) {
            Filter deleted = Filter.createANDFilter(Filter.createEqualityFilter("isDeleted", "TRUE"), since);
            reader.paged(now.namingContext, deleted, List.of(config.idAttribute, "objectClass"),
                    List.of(new Control(SHOW_DELETED_OID, true)), e -> {
                        String id = idOf(e);
                        if (id == null) {
                            return;
                        }
                        if (e.hasAttributeValue("objectClass", "group")) {
                            sink.groupDeleted(id);
                        } else if (e.hasAttributeValue("objectClass", "user")) {
                            sink.userDeleted(id);
                        }
                    });
        }
        sink.cursor("ad:" + now.invocationId + ":" + now.usn + ":" + snapshotAt);
    }

    private void timestampChanges(String sinceTime, long snapshotAt, ChangeSink sink) throws SourceException {
        String next = StaticUtils.encodeGeneralizedTime(clock.millis() - config.timestampMargin.toMillis());
        readChangedEntries(Filter.createGreaterOrEqualFilter("modifyTimestamp", sinceTime), sink);
        sink.cursor("ts:" + next + ":" + snapshotAt);
    }

    /** Users, then groups (whole member lists), changed since the filter says, as upserts. */
    private void readChangedEntries(Filter since, ChangeSink sink) throws SourceException {
        MemberResolver resolver = new MemberResolver(this::lookupDn);
        resolver.lookup = true;
        reader.paged(config.usersBase, Filter.createANDFilter(config.userFilter, since), config.userAttributes(), List.of(),
                e -> deliverUser(e, resolver, sink));
        List<String> groupAttrs = new ArrayList<>(List.of(config.idAttribute, "cn", "description"));
        groupAttrs.addAll(config.preset.memberAttributes);
        reader.paged(config.groupsBase, Filter.createANDFilter(config.groupFilter, since), groupAttrs, List.of(), e -> {
            deliverGroup(e, resolver, sink);
        });
    }

    // ================================================================== connection test

    @Override
    public Result test() {
        List<String> steps = new ArrayList<>();
        try {
            RootDSE root = reader.withConnection(LDAPConnection::getRootDSE);
            steps.add("connected and bound as " + config.bindDn + " to " + config.urls);
            if (root != null) {
                String vendor = root.getVendorName();
                steps.add("server: " + (vendor != null ? vendor + " " + nullToEmpty(root.getVendorVersion())
                        : root.hasAttribute("highestCommittedUSN") ? "Active Directory (or compatible)"
                        : "LDAP server (no vendor name)"));
                steps.add("paged results: " + (root.supportsControl(PAGED_RESULTS_OID) ? "supported"
                        : "NOT supported (reads will be one unpaged search)"));
                if (config.preset == Preset.ACTIVE_DIRECTORY) {
                    steps.add("show deleted objects: " + (root.supportsControl(SHOW_DELETED_OID) ? "supported"
                            : "NOT supported (incremental reads cannot see deletions)"));
                }
            }
            int users = countOnePage(config.usersBase, config.userFilter);
            steps.add("users base " + config.usersBase + ": " + users + (users == 5 ? "+" : "") + " users");
            int groups = countOnePage(config.groupsBase, config.groupFilter);
            steps.add("groups base " + config.groupsBase + ": " + groups + (groups == 5 ? "+" : "") + " groups");
            return Result.ok(steps);
        } catch (SourceException e) {
            steps.add("failed: " + e.getMessage());
            return Result.failed(steps);
        }
    }

    private int countOnePage(String base, Filter filter) throws SourceException {
        return reader.withConnection(c -> {
            SearchRequest r = new SearchRequest(base, SearchScope.SUB, filter, "1.1");
            r.setSizeLimit(5);
            try {
                return c.search(r).getEntryCount();
            } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                    return e.getEntryCount();
                }
                throw e;
            }
        });
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "LdapSourceConnector[" + config + "]";
    }

}
