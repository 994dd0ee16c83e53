package io.usher.benchmarks;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitProvisioner;
import io.usher.jit.JitResult;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import io.usher.core.model.MemberKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * OIDC JIT login of an existing user: ID token validation (RS256, RSA-2048, key from the JWKS cache) plus
 * provisioning with no changes (user and two group memberships already as the token says), beside a bare
 * signature verification of the same tokens, in the same run. Every token is used once (the validator refuses
 * replays), so tokens are minted before each round. Times are this thread's CPU time (the build machine is shared;
 * wall time there mostly measures the neighbours).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.OidcJitHarness   # [tokens rounds]
 * </pre>
 */
public final class OidcJitHarness {
    private OidcJitHarness() {}

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T09:00:00Z"));
        InMemoryDirectory dir = InMemoryDirectory.create(1);
        String uid = dir.addUser(DirectoryUser.builder("alice").displayName("Alice").givenName("Alice")
                .familyName("Liddell").email("alice@corp.example").build()).id();
        dir.addMember(dir.addGroup("engineering").id(), MemberKind.USER, uid);
        dir.addMember(dir.addGroup("staff").id(), MemberKind.USER, uid);
        try (OidcProvider idp = OidcProvider.start(dir, clock)) {
            InMemoryUserStore store = new InMemoryUserStore();
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock)
                    .source(Source.builder("sso").build()).build();
            JitProvisioner jit = JitProvisioner.builder().engine(engine).clock(clock)
                    .policy(JitPolicy.builder("sso", idp.issuer()).usernameFrom("preferred_username")
                            .groupsFrom("groups").groupMode(JitPolicy.GroupMode.AUTO_CREATE).removeUnlisted(true)
                            .build()).build();
            OidcValidator validator = OidcValidator.builder().issuer(idp.issuer()).clientId("app")
                    .jwksUri(idp.jwksUri()).clock(clock).replayCacheSize(2 * tokens * rounds + 10).build();
            RSAKey publicKey = (RSAKey) idp.publicJwks().getKeys().get(0);
            RSASSAVerifier bare = new RSASSAVerifier(publicKey);

            JitResult first = jit.provision(validator.validate(idp.idToken(uid).audience("app").nonce("warm")
                    .sign(), IdTokenExpectations.nonce("warm")));
            System.out.println("first login: " + first.action() + ", groups " + first.groupsAdded());

            double[] bareUs = new double[rounds];
            double[] loginUs = new double[rounds];
            double[] provisionUs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                List<String> batch = new ArrayList<>(tokens);
                List<String> nonces = new ArrayList<>(tokens);
                for (int i = 0; i < tokens; i++) {
                    String nonce = "r" + r + "-" + i;
                    nonces.add(nonce);
                    batch.add(idp.idToken(uid).audience("app").nonce(nonce).sign());
                }
                long t0 = cpu();
                int ok = 0;
                for (String t : batch) {
                    ok += SignedJWT.parse(t).verify(bare) ? 1 : 0;
                }
                long t1 = cpu();
                int unchanged = 0;
                long provisionNs = 0;
                for (int i = 0; i < tokens; i++) {
                    var login = validator.validate(batch.get(i), IdTokenExpectations.nonce(nonces.get(i)));
                    long p0 = cpu();
                    JitResult res = jit.provision(login);
                    provisionNs += cpu() - p0;
                    unchanged += res.action() == JitResult.Action.UNCHANGED && res.changes().isEmpty() ? 1 : 0;
                }
                long t2 = cpu();
                provisionUs[r] = provisionNs / 1000.0 / tokens;
                if (ok != tokens || unchanged != tokens) {
                    throw new IllegalStateException("round " + r + ": " + ok + " verified, " + unchanged + " unchanged");
                }
                bareUs[r] = (t1 - t0) / 1000.0 / tokens;
                loginUs[r] = (t2 - t1) / 1000.0 / tokens;
                System.out.printf(Locale.ROOT, "round %d: bare verify %.1f us/token, validate+provision %.1f us/login"
                        + " (%.2fx; provision alone %.1f us)%n", r + 1, bareUs[r], loginUs[r], loginUs[r] / bareUs[r],
                        provisionUs[r]);
            }
            // the first round warms the JIT compiler: medians of the rest
            double b = median(Arrays.copyOfRange(bareUs, 1, rounds));
            double l = median(Arrays.copyOfRange(loginUs, 1, rounds));
            double p = median(Arrays.copyOfRange(provisionUs, 1, rounds));
            System.out.printf(Locale.ROOT, "median of rounds 2..%d: bare verify %.1f us, validate+provision %.1f us "
                    + "(provision alone %.1f us), ratio %.2f; %d tokens per round; JWKS fetched %d time(s)%n", rounds,
                    b, l, p, l / b, tokens, validator.jwksFetches());
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time: on a shared machine, wall time mostly measures the neighbours. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
