package io.usher.ldap;

import static org.junit.jupiter.api.Assumptions.abort;

import com.unboundid.ldap.sdk.LDAPException;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.ldap.servers.Slapd;
import io.usher.ldap.servers.SlapdExtension;
import io.usher.ldap.servers.SlapdMirror;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.SourceConnectorContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SourceConnector contract with the LDAP connector reading a real OpenLDAP slapd. Before every read,
 * {@link SlapdMirror} makes slapd hold what the contract's directory holds (the contract changes the
 * directory; slapd follows by adds, modrdns, modifies and deletes, keeping entryUUIDs). slapd offers
 * RFC 4533 content synchronisation, so the connector's incremental reads see deletions.
 */
class SlapdContractTest extends SourceConnectorContract {

    @RegisterExtension
    static final SlapdExtension SLAPD = new SlapdExtension();

    private static Slapd slapd;
    private final ManualClock clock = new ManualClock();

    @org.junit.jupiter.api.BeforeAll
    static void server(Slapd server) {
        slapd = server;
    }

    @Override
    protected InMemoryDirectory newDirectory() {
        // logins unique ignoring case (they are RDNs), every group with a member (groupOfNames needs one)
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(11).users(120).groups(15).nestingDepth(3)
                .targetMemberships(400).caseCollisions(0).build().generate();
        String anyone = dir.users().findFirst().orElseThrow().id();
        dir.groups().filter(g -> dir.members(g.id(), io.usher.core.model.MemberKind.USER).isEmpty()
                        && dir.members(g.id(), io.usher.core.model.MemberKind.GROUP).isEmpty())
                .collect(java.util.stream.Collectors.toList())
                .forEach(g -> dir.addMember(g.id(), io.usher.core.model.MemberKind.USER, anyone));
        return dir;
    }

    @Override
    protected SourceConnector connectorFor(InMemoryDirectory directory) {
        try {
            new SlapdMirror(slapd, InMemoryDirectory.create()).sync(); // what earlier tests left goes away
        } catch (LDAPException e) {
            throw new IllegalStateException("could not empty slapd: " + e.getMessage(), e);
        }
        LdapSourceConnector ldap = new LdapSourceConnector(LdapConfig.builder().url(slapd.url())
                .preset(Preset.OPENLDAP).bind(slapd.bindDn(), slapd.bindPassword()).usersBase(Slapd.PEOPLE_DN)
                .groupsBase(Slapd.GROUPS_DN).pageSize(40).timestampMargin(Duration.ofSeconds(1)).build(), clock);
        return new Mirrored(ldap, new SlapdMirror(slapd, directory));
    }

    @Override
    protected void failReadsAfter(int records) {
        abort("a real slapd cannot be told to drop a connection mid-read; the in-memory LDAP face covers it");
    }

    @Override
    protected void expireCursors() {
        clock.advance(Duration.ofHours(25)); // past fullReconcileAfter
    }

    // slapd offers RFC 4533 content synchronisation (syncprov): deletions are reported, but its deleted-id
    // lists are not limited to the searched base, so a deleted group's id may come with the users' deletions
    @Override
    protected boolean changesAreExact() {
        return false;
    }

    /** The connector, with slapd brought up to date with the directory before each read. */
    static final class Mirrored implements SourceConnector, IncrementalSource, NestedGroupSource {
        private final LdapSourceConnector delegate;
        private final SlapdMirror mirror;

        Mirrored(LdapSourceConnector delegate, SlapdMirror mirror) {
            this.delegate = delegate;
            this.mirror = mirror;
        }

        private void sync() {
            try {
                mirror.sync();
            } catch (LDAPException e) {
                throw new IllegalStateException("could not mirror the directory into slapd: " + e.getMessage(), e);
            }
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public void validate() {
            delegate.validate();
        }

        @Override
        public void snapshot(SnapshotSink sink) throws SourceException {
            sync();
            delegate.snapshot(sink);
        }

        @Override
        public void changes(String cursor, ChangeSink sink) throws SourceException {
            sync();
            delegate.changes(cursor, sink);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
