package io.usher.benchmarks;

import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.pipeline.UserFilter;
import io.usher.core.spi.SourceUser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the per-record pipeline (filters, username from UPN with fallbacks, a regex rewrite, name
 * part, lower case, field mapping) — paid once per user on every full sync.
 *
 * <p>Run: {@code java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar org.openjdk.jmh.Main PipelineBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {
    private final Pipeline pipeline = Pipeline.builder()
            .excludeUsers(UserFilter.kind(SourceUser.Kind.GUEST))
            .includeUsers(UserFilter.attributeMatches("department", "dept-.*"))
            .usernameFrom("userPrincipalName", "loginName")
            .rewriteUsername("^ext-", "")
            .namePart()
            .usernameCase(CaseRule.LOWER)
            .mapField("displayName", "cn", "displayName")
            .build();
    private final SourceUser record = SourceUser.builder("6f1c0a52-3c1e-4a53-9c1e-0f6c9d1d2a11")
            .loginName("jgarcia").displayName("José García").givenName("José").familyName("García")
            .email("jose.garcia@corp.test").attribute("userPrincipalName", "Jose.Garcia@Corp.test")
            .attribute("department", "dept-7").attribute("employeeNumber", "100042").build();
    private final Origin origin = Origin.of("corp", record.externalId());

    @Benchmark
    public User transformOneUser() {
        if (!pipeline.includes(record)) {
            throw new IllegalStateException("excluded");
        }
        return pipeline.toUser(record, origin);
    }
}
