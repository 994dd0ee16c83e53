package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.ChangeSet;
import io.usher.core.CollisionPolicy;
import io.usher.core.DeletionGuard;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.PushResult;
import io.usher.core.Source;
import io.usher.core.SourcePush;
import io.usher.core.SyncListener;
import io.usher.core.SyncReport;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.pipeline.UserFilter;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quick starts, kept compiling and true: if this breaks, fix the README too. */
class ReadmeExamplesTest {

    @Test
    void quickStartPullRoute() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(42).users(300).groups(20).build().generate();
        SourceConnector connector = InMemorySourceConnector.of(dir);
        List<Change> audit = new ArrayList<>();

        // --- README: a host wires the engine to its store
        UserStore store = new InMemoryUserStore();
        Source corp = Source.builder("corp")
                .connector(connector)
                .pipeline(Pipeline.builder()
                        .usernameFrom("userPrincipalName", "loginName")
                        .namePart()
                        .usernameCase(CaseRule.LOWER)
                        .excludeUsers(UserFilter.kind(SourceUser.Kind.GUEST))
                        .build())
                .deprovision(DeprovisionPolicy.DEACTIVATE)
                .collisions(CollisionPolicy.LINK)
                .guard(DeletionGuard.maxShare(0.10))
                .build();
        ProvisioningEngine engine = ProvisioningEngine.builder()
                .store(store)
                .source(corp)
                .listener(new SyncListener() {
                    @Override public void onChange(String runId, Change change) { audit.add(change); }
                })
                .build();
        ChangeSet plan = engine.plan("corp");
        SyncReport report = engine.synchronize("corp");
        // --- end of README excerpt

        assertThat(plan.report().dryRun()).isTrue();
        assertThat(report.counts()).isEqualTo(plan.report().counts());
        assertThat(report.count(ChangeKind.USER_CREATED)).isPositive();
        assertThat(audit).hasSize((int) report.totalChanges());
        assertThat(report.summary()).contains("sync of source 'corp'");
    }

    @Test
    void quickStartPushRoute() {
        UserStore store = new InMemoryUserStore();
        // --- README: push routes
        Source scim = Source.builder("scim").pipeline(Pipeline.DEFAULT).build();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).source(scim).build();
        SourcePush push = engine.push("scim");
        PushResult r = push.upsertUser(SourceUser.builder("ext-1").loginName("jdoe").email("jdoe@corp").build());
        push.removeUser("ext-1");
        // --- end of README excerpt
        assertThat(r.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(store.findUserByUsername("jdoe").orElseThrow().active()).isFalse();
    }
}
