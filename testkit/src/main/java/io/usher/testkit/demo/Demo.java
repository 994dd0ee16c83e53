package io.usher.testkit.demo;

import io.usher.core.ChangeSet;
import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Progress;
import io.usher.core.Source;
import io.usher.core.SyncListener;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The README's demo on the embedded defaults: a generated organisation in the in-memory directory is
 * previewed, synced into the in-memory store, changed (hire, rename, disable, leave, move), synced
 * incrementally, and finally shrunk by a wrong change on purpose so the mass-deletion guard refuses it.
 * Narration and reports go to standard output, the progress line to standard error.
 *
 * <p>Arguments: {@code [users] [groups]} (default 5000 500).
 */
public final class Demo {
    private static final PrintStream OUT = System.out;

    private Demo() {}

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        say("Generating an organisation: %d users, %d groups (nested 3 deep, skewed sizes, non-ASCII names)...",
                users, groups);
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(2026).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(users * 5L).caseCollisions(3).build().generate();
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder()
                .store(store)
                .source(Source.builder("corp")
                        .connector(InMemorySourceConnector.of(dir, 500))
                        .pipeline(Pipeline.builder().usernameFrom("loginName").usernameCase(CaseRule.LOWER).build())
                        .guard(DeletionGuard.maxShare(0.10))
                        .build())
                .listener(new ProgressLine())
                .build();

        say("%n1. Preview (a dry run: nothing is written)");
        ChangeSet plan = engine.plan("corp");
        say("   %d changes planned: %s", plan.report().totalChanges(), plan.report().counts());
        plan.changes().stream().limit(4).forEach(c -> say("   e.g. %s", c));

        say("%n2. Initial sync into the in-memory store");
        SyncReport first = engine.synchronize("corp");
        report(first);
        say("   store now holds %d users and %d groups", store.userCount(), store.groupCount());

        say("%n3. The directory changes: a hire, a rename, a disabled account, a leaver, a move between groups");
        List<String> ids = dir.users().map(DirectoryUser::id).collect(java.util.stream.Collectors.toList());
        List<String> groupIds = dir.groups().map(DirectoryGroup::id).collect(java.util.stream.Collectors.toList());
        String hire = dir.addUser(DirectoryUser.of("new.hire")).id();
        dir.addMember(groupIds.get(3), MemberKind.USER, hire);
        String renamed = ids.get(0);
        String oldName = dir.user(renamed).orElseThrow().loginName();
        dir.renameUser(renamed, "renamed." + oldName);
        dir.disableUser(ids.get(1));
        dir.deleteUser(ids.get(2));
        String mover = ids.get(3);
        for (String g : dir.groupsOf(MemberKind.USER, mover)) {
            dir.moveUser(mover, g, groupIds.get(5));
            break;
        }
        String key = store.findUserByOrigin(io.usher.core.model.Origin.of("corp", renamed)).orElseThrow().key();
        SyncReport inc = engine.synchronize("corp");
        report(inc);
        say("   '%s' is now '%s' with the same store key %s (a rename, not delete + create)",
                oldName.toLowerCase(Locale.ROOT), store.findUser(key).orElseThrow().username(), key);

        say("%n4. A wrong change on purpose: 30%% of users vanish from the directory");
        List<String> remaining = dir.users().map(DirectoryUser::id).collect(java.util.stream.Collectors.toList());
        for (int i = 0; i < remaining.size() * 3 / 10; i++) {
            dir.deleteUser(remaining.get(i));
        }
        SyncReport refused = engine.synchronize("corp");
        report(refused);
        say("   active users in the store: %d (nothing was deactivated)",
                store.allUsers().stream().filter(u -> u.active()).count());
        say("%nDone.");
    }

    private static void report(SyncReport r) {
        for (String line : r.summary().split("\n")) {
            say("   %s", line);
        }
        r.warnings().stream().limit(3).forEach(w -> say("   warning: %s", w));
    }

    private static void say(String format, Object... args) {
        OUT.println(String.format(Locale.ROOT, format, args));
    }

    /** A one-line progress display on standard error. */
    private static final class ProgressLine implements SyncListener {
        @Override
        public void onProgress(Progress p) {
            String total = p.total() > 0 ? "/" + p.total() : "";
            System.err.print(String.format(Locale.ROOT, "\r   [%-15s] read %d%s, applied %d      ",
                    p.phase().name().toLowerCase(Locale.ROOT), p.read(), total, p.applied()));
            if (p.phase() == Progress.Phase.DONE) {
                System.err.println();
            }
        }
    }
}
