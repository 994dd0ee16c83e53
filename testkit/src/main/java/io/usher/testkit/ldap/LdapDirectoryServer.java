package io.usher.testkit.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.schema.Schema;
import io.usher.testkit.InMemoryDirectory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InMemoryDirectory} served over LDAP on a free loopback port by UnboundID's in-memory directory
 * server, shaped like OpenLDAP or like Active Directory ({@link Flavour}).
 *
 * <pre>{@code
 * try (LdapDirectoryServer ldap = LdapDirectoryServer.start(directory, Flavour.ACTIVE_DIRECTORY)) {
 *     LDAPConnection c = new LDAPConnection("127.0.0.1", ldap.port(), ldap.bindDn(), ldap.bindPassword());
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> OpenLDAP: users {@code uid=<login>,ou=people,dc=usher,dc=test} (inetOrgPerson, with
 * {@code entryUUID} = the directory id, {@code pwdAccountLockedTime: 000001010000Z} when disabled,
 * {@code employeeType: guest|service}), groups {@code cn=<name>,ou=groups,dc=usher,dc=test} (groupOfNames).
 * Active Directory: users {@code CN=<login>,OU=Users,DC=usher,DC=test} (user, with {@code objectGUID} = the
 * id in Microsoft byte order, {@code userAccountControl} 512 or 514, {@code memberOf}, {@code uSNChanged}),
 * groups {@code CN=<name>,OU=Groups,DC=usher,DC=test} (group), tombstones under
 * {@code CN=Deleted Objects,DC=usher,DC=test}, ranged {@code member} retrieval at {@value #MAX_VAL_RANGE}.
 * The package documentation has every attribute.
 *
 * <p><b>Changes.</b> Before serving each search the server applies the directory's change log since the
 * last one it applied (a rename is a modify-DN, the id stays); if the log was trimmed past that point it
 * rebuilds every entry. {@link #refresh()} does the same on demand.
 *
 * <p><b>Access.</b> Bind as {@link #bindDn()} / {@link #bindPassword()}; anonymous binds are refused with
 * {@code inappropriateAuthentication} and unauthenticated operations fail. The server is read-only over
 * LDAP ({@code unwillingToPerform}): change the directory instead.
 *
 * <p><b>Faults</b> (in the manner of UnboundID's interceptors) apply to searches except root DSE and schema
 * reads: {@link #failNextSearches}, {@link #dropConnectionAfterEntries}, {@link #delayEachEntry},
 * {@link #clearFaults}.
 *
 * <p>Thread-safe: any thread may change the directory, arm faults or read the accessors while clients search.
 */
public final class LdapDirectoryServer implements AutoCloseable {
    /** Active Directory's MaxValRange: the most values of {@code member} one entry returns at once. */
    public static final int MAX_VAL_RANGE = 1500;
    /** The Simple Paged Results control (RFC 2696). */
    public static final String PAGED_RESULTS_OID = "1.2.840.113556.1.4.319";
    /** Active Directory's show-deleted control: tombstones are returned only to searches carrying it. */
    public static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";
    /** Active Directory's capability OID (LDAP_CAPABILITY_ACTIVE_DIRECTORY_OID) in {@code supportedCapabilities}. */
    public static final String AD_CAPABILITY_OID = "1.2.840.113556.1.4.800";
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectoryServer.class);
    private static final String PASSWORD = "usher-test-admin";

    /** The shape of the served entries. */
    public enum Flavour {
        /** inetOrgPerson / groupOfNames under {@code dc=usher,dc=test}, entryUUID, modifyTimestamp. */
        OPENLDAP,
        /** user / group under {@code DC=usher,DC=test}, objectGUID, uSNChanged, tombstones, ranged member. */
        ACTIVE_DIRECTORY
    }

    private final InMemoryDirectory directory;
    private final Flavour flavour;
    private final Layout layout;
    private final Replicator replicator;
    private final Faults faults = new Faults();
    private final InMemoryDirectoryServer server;

    private LdapDirectoryServer(InMemoryDirectory directory, Flavour flavour, Clock clock) throws LDAPException {
        this.directory = directory;
        this.flavour = flavour;
        this.layout = Layout.of(flavour);
        this.replicator = new Replicator(directory, layout, new LdapSchema(flavour), clock, randomGuid());
        Schema schema = replicator.prepare();

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.base);
        config.setSchema(schema);
        config.setEnforceAttributeSyntaxCompliance(false);
        config.setEnforceSingleStructuralObjectClass(false);
        config.setGenerateOperationalAttributes(false); // our entryUUID and timestamps are the ones served
        config.addAdditionalBindCredentials(layout.admin.toString(), PASSWORD);
        config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH, OperationType.COMPARE,
                OperationType.ADD, OperationType.DELETE, OperationType.MODIFY, OperationType.MODIFY_DN);
        config.setVendorName(null);
        config.setVendorVersion(null);
        config.setCustomRootDSEAttributes(rootDse());
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", loopback(), 0, null));
        config.addInMemoryOperationInterceptor(new ServingInterceptor(flavour, replicator, faults));
        this.server = new InMemoryDirectoryServer(config);
        long started = System.nanoTime();
        replicator.load(server);
        LOG.info("serving {} users and {} groups as {} (loaded in {} ms)", directory.userCount(),
                directory.groupCount(), flavour, (System.nanoTime() - started) / 1_000_000);
        server.startListening();
    }

    /**
     * Loads the directory and starts serving it on a free port of 127.0.0.1.
     *
     * @throws IllegalStateException if the server cannot be built or cannot listen
     */
    public static LdapDirectoryServer start(InMemoryDirectory directory, Flavour flavour) {
        return start(directory, flavour, Clock.systemUTC());
    }

    /** As {@link #start(InMemoryDirectory, Flavour)}, with the clock for timestamps (modifyTimestamp, whenChanged). */
    public static LdapDirectoryServer start(InMemoryDirectory directory, Flavour flavour, Clock clock) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(clock, "clock");
        try {
            return new LdapDirectoryServer(directory, flavour, clock);
        } catch (LDAPException e) {
            throw new IllegalStateException("could not start the LDAP server: " + e.getResultCode(), e);
        }
    }

    private List<Attribute> rootDse() {
        List<Attribute> attrs = new ArrayList<>();
        if (flavour == Flavour.OPENLDAP) {
            attrs.add(new Attribute("objectClass", "top", "OpenLDAProotDSE"));
            return attrs;
        }
        String base = layout.base.toString();
        attrs.add(new Attribute("defaultNamingContext", base));
        attrs.add(new Attribute("rootDomainNamingContext", base));
        attrs.add(new Attribute("configurationNamingContext",
                new DN(new RDN("CN", "Configuration"), layout.base).toString()));
        attrs.add(new Attribute("dsServiceName", Layout.ActiveDirectory.NTDS_SETTINGS.toString()));
        attrs.add(new Attribute("highestCommittedUSN", "0"));
        attrs.add(new Attribute("supportedCapabilities", AD_CAPABILITY_OID));
        attrs.add(new Attribute("isSynchronized", "TRUE"));
        return attrs;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no IPv4 loopback", e);
        }
    }

    private static byte[] randomGuid() {
        UUID u = UUID.randomUUID();
        return AdGuid.toBytes(u.toString());
    }

    // ------------------------------------------------------------------ where and who

    /** {@code ldap://127.0.0.1:<port>}. */
    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    public int port() {
        return server.getListenPort();
    }

    /** The administrator to bind as ({@code cn=admin,dc=usher,dc=test} or {@code CN=Administrator,CN=Users,DC=usher,DC=test}). */
    public String bindDn() {
        return layout.admin.toString();
    }

    /** The administrator's password (a fixed test value). */
    public String bindPassword() {
        return PASSWORD;
    }

    /** {@code dc=usher,dc=test} or {@code DC=usher,DC=test}. */
    public String baseDn() {
        return layout.base.toString();
    }

    /** {@code ou=people,dc=usher,dc=test} or {@code OU=Users,DC=usher,DC=test}. */
    public String usersBase() {
        return layout.users.toString();
    }

    /** {@code ou=groups,dc=usher,dc=test} or {@code OU=Groups,DC=usher,DC=test}. */
    public String groupsBase() {
        return layout.groups.toString();
    }

    /** Active Directory's {@code CN=Deleted Objects,DC=usher,DC=test} (only the AD flavour has entries there). */
    public String deletedObjectsDn() {
        return Layout.ActiveDirectory.DELETED_OBJECTS.toString();
    }

    /** The DN that the AD root DSE's {@code dsServiceName} names; its entry holds {@code invocationId}. */
    public String dsServiceName() {
        return Layout.ActiveDirectory.NTDS_SETTINGS.toString();
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    public Flavour flavour() {
        return flavour;
    }

    // ------------------------------------------------------------------ state

    /** Applies the directory's changes now (every search does this first anyway). */
    public void refresh() {
        try {
            replicator.catchUp();
        } catch (LDAPException e) {
            throw new IllegalStateException("could not apply the directory's changes: " + e.getResultCode(), e);
        }
    }

    /** The directory sequence the LDAP entries reflect. */
    public long appliedSequence() {
        return replicator.appliedSequence();
    }

    /**
     * The update sequence number: incremented once per applied change (and once per entry at load); what the
     * AD root DSE shows as {@code highestCommittedUSN}. Call {@link #refresh()} first to include pending changes.
     */
    public long highestCommittedUsn() {
        return replicator.usn();
    }

    /** The NTDS Settings entry's {@code invocationId}, as a canonical GUID string (AD flavour). */
    public String invocationId() {
        return AdGuid.toString(replicator.invocationId());
    }

    /**
     * Gives the NTDS Settings entry a new {@code invocationId}, as a domain controller restored from backup
     * does: a client that stored the old one must fall back to a full sync.
     */
    public void resetInvocationId() {
        requireFlavour(Flavour.ACTIVE_DIRECTORY, "resetInvocationId");
        try {
            replicator.resetInvocationId(randomGuid());
        } catch (LDAPException e) {
            throw new IllegalStateException("could not change invocationId: " + e.getResultCode(), e);
        }
    }

    private void requireFlavour(Flavour f, String what) {
        if (flavour != f) {
            throw new IllegalStateException(what + " needs the " + f + " flavour");
        }
    }

    // ------------------------------------------------------------------ faults

    /**
     * Arms a fault: after {@code entries} more search result entries (counted across searches, so it can
     * strike on a later page), the connection that would receive the next one is dropped (TCP reset)
     * instead. Then it disarms itself.
     */
    public void dropConnectionAfterEntries(int entries) {
        faults.dropConnectionAfterEntries(entries);
    }

    /** Makes the server wait this long before sending each search result entry, until cleared. */
    public void delayEachEntry(Duration perEntry) {
        faults.delayEachEntry(perEntry);
    }

    /** Makes the next {@code count} searches fail with this result code (e.g. BUSY, UNAVAILABLE). */
    public void failNextSearches(int count, ResultCode code) {
        faults.failNextSearches(count, code);
    }

    /** Disarms every fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** Stops listening, closes every connection and drops the entries. Idempotent. */
    @Override
    public void close() {
        server.shutDown(true);
    }

    @Override
    public String toString() {
        return "LdapDirectoryServer[" + flavour + ", " + url() + "]";
    }
}
