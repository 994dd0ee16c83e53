package io.usher.examples.cli;

import io.usher.core.ConfigException;
import io.usher.core.Connectors;
import io.usher.core.Source;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.explain.LoginExplainer;
import io.usher.jit.explain.LoginExplanation;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcValidator;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code usher explain-login}: what one login (a SAML Response or an ID token) would do, without doing it: every
 * validation check with its verdict, the user it would create or update and the memberships it would change, each
 * with its rule. Configured by the JIT source's keys ({@code type = push}, {@code pipeline.*}, {@code collision}),
 * the JIT policy's ({@code jit.*}, as {@code JitPolicy.fromConfig}) and the validator's ({@code saml.*} as
 * {@code SamlConfig.fromConfig}, {@code oidc.*} as {@code OidcValidator.fromConfig}).
 */
@Command(name = "explain-login", mixinStandardHelpOptions = true,
        description = "Explains one login without changing anything: each check of the SAML Response (--saml) or "
                + "ID token (--id-token) with its verdict (passed, failed with its reason, not reached), then the "
                + "user it would create or update (with the steps that made the username) and the groups it would "
                + "add or remove, each with the rule that causes it. The replay caches are not used up and the "
                + "store is only read (--state, as a sync left it; an empty store when there is none). Exit 0 "
                + "when the login would be accepted, 4 when it would be refused, 2 for a configuration error or "
                + "an unreadable input file.",
        footerHeading = "%nConfiguration file (properties):%n",
        footer = {
                "  # the JIT source (type = push, the default here), and every other pipeline.* key, collision, ...",
                "  source.id = corp-sso",
                "  pipeline.username.case = lower",
                "  # jit.*: JitPolicy.fromConfig keys",
                "  jit.username.from = preferred_username, email",
                "  jit.groups.from = groups",
                "  jit.groups.mode = auto_create",
                "  # saml.*: SamlConfig.fromConfig keys",
                "  saml.spEntityId = https://wiki.example.com/saml",
                "  saml.acsUrl = https://wiki.example.com/saml/acs",
                "  saml.idpMetadata = idp-metadata.xml",
                "  # oidc.*: OidcValidator.fromConfig keys",
                "  oidc.issuer = https://login.corp.example",
                "  oidc.clientId = wiki",
                "  oidc.jwksUri = https://login.corp.example/keys",
                "Comments go on lines of their own (a # after a value is part of it).",
                "jit.issuer defaults to the validator's IdP. Relative file paths are read from the configuration "
                        + "file's folder. Errors name the key, never the value."})
final class ExplainLoginCommand implements Callable<Integer> {
    /** The largest input file read: a SAML Response or a token is far smaller. */
    static final int MAX_INPUT = 4 * 1024 * 1024;

    enum Format { text, json }

    @ParentCommand
    UsherCli cli;

    @Mixin
    ConfigOption config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--saml", required = true, paramLabel = "FILE",
                description = "the SAMLResponse form value (base64) or the Response XML")
        Path saml;

        @Option(names = "--id-token", required = true, paramLabel = "FILE", description = "the ID token (a JWT)")
        Path idToken;
    }

    @Option(names = "--request-id", paramLabel = "ID",
            description = "SAML: the ID of the AuthnRequest the Response answers (without it InResponseTo is not "
                    + "checked)")
    String requestId;

    @Option(names = "--unsolicited", description = "SAML: judge the Response as IdP-initiated (it must answer no "
            + "request)")
    boolean unsolicited;

    @Option(names = "--nonce", paramLabel = "NONCE",
            description = "OIDC: the nonce the login sent (without it nonce, max_age and acr are not checked)")
    String nonce;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "judge times as at this instant, e.g. 2026-11-29T10:15:00Z (default: now)")
    String at;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json "
            + "(default text)")
    Format format;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = State.DEFAULT_DIR,
            description = "the state directory a sync keeps (default usher-state); ignored with store.url")
    Path stateDir;

    @Override
    public Integer call() {
        return cli.guarded("explain-login", () -> {
            CliConfig cfg = CliConfig.load(config.file, cli.env);
            boolean saml = input.saml != null;
            if (saml && nonce != null) {
                throw new ConfigException("--nonce", "applies to --id-token only");
            }
            if (!saml && (requestId != null || unsolicited)) {
                throw new ConfigException(requestId != null ? "--request-id" : "--unsolicited",
                        "applies to --saml only");
            }
            if (requestId != null && unsolicited) {
                throw new ConfigException("--unsolicited", "cannot be combined with --request-id");
            }
            String proof = read(saml ? "--saml" : "--id-token", saml ? input.saml : input.idToken);
            Clock clock = clock();
            Map<String, String> keys = new TreeMap<>(cfg.sourceKeys());
            Path base = config.file.toAbsolutePath().getParent();
            Map<String, String> samlKeys = files(take(keys, "saml."), base, "idpMetadata", "trustedCertificates",
                    "decryptionKey");
            Map<String, String> oidcKeys = files(take(keys, "oidc."), base, "jwks", "decryptionKey");
            Map<String, String> jitKeys = take(keys, "jit.");

            LoginExplainer.Builder b = LoginExplainer.builder();
            String issuer;
            if (saml) {
                if (samlKeys.isEmpty()) {
                    throw new ConfigException("saml.spEntityId", "is required: --saml needs the saml.* keys");
                }
                SamlConfig sc = prefixed("saml.", () -> SamlConfig.fromConfig(samlKeys).clock(clock).build());
                b.saml(SamlResponseValidator.create(sc));
                issuer = sc.idpEntityId();
            } else {
                if (oidcKeys.isEmpty()) {
                    throw new ConfigException("oidc.issuer", "is required: --id-token needs the oidc.* keys");
                }
                OidcValidator v = prefixed("oidc.", () -> OidcValidator.fromConfig(oidcKeys).clock(clock).build());
                b.oidc(v);
                issuer = v.issuer();
            }
            jitKeys.putIfAbsent("issuer", issuer);
            JitPolicy policy = prefixed("jit.", () -> JitPolicy.fromConfig(cfg.sourceId(), jitKeys));
            Source source = source(cfg, keys);

            boolean hasState = State.exists(cfg, stateDir);
            Database state = hasState ? openExisting(cfg) : null;
            try {
                UserStore store = state != null ? JdbcUserStore.create(state) : new InMemoryUserStore();
                cli.err.println(hasState ? "comparing with the state in " + state.describe()
                        : "no state (" + stateDir + " does not exist): explaining against an empty store");
                LoginExplainer explainer = b.store(store).source(source).policy(policy).build();
                LoginExplanation e;
                if (saml) {
                    e = unsolicited ? explainer.explainUnsolicitedSaml(proof) : explainer.explainSaml(proof, requestId);
                } else {
                    e = explainer.explainIdToken(proof, nonce == null ? null : IdTokenExpectations.nonce(nonce));
                }
                cli.out.print(format == Format.json ? e.toJson() + System.lineSeparator() : e.toText());
                cli.out.flush();
                return e.outcome() == LoginExplanation.Outcome.ACCEPTED ? ExitCode.OK : ExitCode.PARTIAL;
            } finally {
                if (state != null) {
                    state.close();
                }
            }
        });
    }

    /**
     * The state database, opened as it is: unlike the sync commands, no schema is created and an H2 state
     * directory without a database is not given one ({@code IFEXISTS}), so explaining writes nothing there either.
     */
    private Database openExisting(CliConfig cfg) {
        String url = cfg.get("store.url");
        if (url != null) {
            return Database.pooled(url, cfg.get("store.user"), cfg.get("store.password"), 2);
        }
        Path file = stateDir.toAbsolutePath().resolve("usher");
        return Database.pooled("jdbc:h2:file:" + file + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;LOCK_TIMEOUT=10000", "sa", "", 2);
    }

    /** The input file's content; a SAML Response given as XML is encoded as the form value would carry it. */
    private String read(String option, Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_INPUT) {
                throw new ConfigException(option, "names a file larger than " + MAX_INPUT + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new ConfigException(option, "names a file that does not exist");
        } catch (IOException | SecurityException e) {
            throw new ConfigException(option, "names a file that cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (text.isEmpty()) {
            throw new ConfigException(option, "names an empty file");
        }
        if (option.equals("--saml") && text.startsWith("<")) {
            return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }
        return text;
    }

    private Clock clock() {
        if (at == null) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ConfigException("--at", "must be an instant such as 2026-11-29T10:15:00Z");
        }
    }

    /** The JIT source: push-only; its keys as {@code Source.fromConfig} reads them. */
    private static Source source(CliConfig cfg, Map<String, String> keys) {
        keys.putIfAbsent("type", "push");
        if (!"push".equals(keys.get("type"))) {
            throw new ConfigException("type", "must be push: explain-login explains logins into a push-only JIT "
                    + "source");
        }
        try {
            return Source.fromConfig(cfg.sourceId(), keys, Connectors.empty());
        } catch (ConfigException e) {
            String key = e.key();
            if (key != null && !keys.containsKey(key) && keys.containsKey("pipeline." + key)) {
                throw Sources.rekey(e, "pipeline." + key);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("source.id", "is not a valid source id");
        }
    }

    /** File-valued keys (comma-separated lists allowed) with relative paths read from the configuration's folder. */
    private static Map<String, String> files(Map<String, String> keys, Path base, String... fileKeys) {
        for (String k : fileKeys) {
            String v = keys.get(k);
            if (v == null || base == null) {
                continue;
            }
            List<String> resolved = new ArrayList<>();
            for (String part : v.split(",")) {
                String p = part.trim();
                try {
                    resolved.add(p.isEmpty() || Path.of(p).isAbsolute() ? p : base.resolve(p).toString());
                } catch (InvalidPathException e) {
                    resolved.add(p); // fromConfig names the key
                }
            }
            keys.put(k, String.join(",", resolved));
        }
        return keys;
    }

    /** Removes the keys under {@code prefix} from {@code keys} and returns them without it. */
    private static Map<String, String> take(Map<String, String> keys, String prefix) {
        Map<String, String> out = new TreeMap<>();
        keys.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    /** Runs a {@code fromConfig}, re-keying its errors as the file names them ({@code saml.acsUrl}). */
    private static <T> T prefixed(String prefix, Supplier<T> body) {
        try {
            return body.get();
        } catch (ConfigException e) {
            throw e.key() == null ? e : Sources.rekey(e, prefix + e.key());
        }
    }
}
