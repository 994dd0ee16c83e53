package io.usher.ldap.servers;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private OpenLDAP {@code slapd} for tests: its own temporary directory, generated
 * {@code slapd.conf} (passed with {@code -f}; /etc/ldap and any system slapd are never touched),
 * an {@code mdb} database for {@value #BASE_DN}, listening on a free loopback port only.
 *
 * <p>Lifecycle: {@link #create()} writes the config and loads the base entries
 * ({@code dc=usher,dc=test}, {@code ou=people}, {@code ou=groups}, {@code ou=policies} with the
 * default password policy) with {@code slapadd}; optionally {@link #slapadd(Path)} bulk data;
 * then {@link #start()}. {@link #started()} does create + start. {@link #close()} stops the
 * process by its own pid (SIGTERM, wait, then SIGKILL) and deletes the directory.
 *
 * <p>Database: overlays {@code syncprov} (RFC 4533 content sync; checkpoint + session log, so a
 * refresh with a cookie returns only the changes) and {@code ppolicy} (so {@code pwdAccountLockedTime}
 * exists; the default policy has {@code pwdLockout: TRUE}). Indexes on objectClass, entryUUID,
 * entryCSN, modifyTimestamp, uid, cn, member, uniqueMember, memberUid. No size/time limit for the rootdn.
 * Anonymous <em>bind</em> is refused ({@code disallow bind_anon}); unauthenticated clients may read only
 * the root DSE and the subschema entry.
 *
 * <p>Needs {@code /usr/sbin/slapd} and {@code /usr/sbin/slapadd} (Debian package {@code slapd});
 * see {@link #available()} and {@link SlapdExtension}.
 */
public final class Slapd implements AutoCloseable {

    public static final String BASE_DN = "dc=usher,dc=test";
    public static final String PEOPLE_DN = "ou=people," + BASE_DN;
    public static final String GROUPS_DN = "ou=groups," + BASE_DN;
    public static final String POLICIES_DN = "ou=policies," + BASE_DN;
    public static final String DEFAULT_POLICY_DN = "cn=default," + POLICIES_DN;
    public static final String ROOT_DN = "cn=admin," + BASE_DN;

    public static final Path SLAPD = Path.of(System.getenv().getOrDefault("USHER_SLAPD", "/usr/sbin/slapd"));
    public static final Path SLAPADD = Path.of(System.getenv().getOrDefault("USHER_SLAPADD", "/usr/sbin/slapadd"));
    public static final Path SCHEMA_DIR = Path.of("/etc/ldap/schema");
    public static final Path MODULE_DIR = Path.of("/usr/lib/ldap");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final long DEFAULT_MDB_MAX_BYTES = 4L << 30; // sparse; only address space

    private final Path dir;
    private final Path conf;
    private final Path log;
    private final String password;
    private final boolean ppolicy;
    private volatile Process process;
    private volatile int port = -1;
    private Thread shutdownHook;
    private boolean closed;

    /** {@code true} when the slapd and slapadd binaries are installed. */
    public static boolean available() {
        return Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD);
    }

    /** Creates config and base entries (not started) with the default options. */
    public static Slapd create() throws IOException {
        return create(DEFAULT_MDB_MAX_BYTES, true);
    }

    /**
     * @param mdbMaxBytes the mdb map size (sparse file; 4 GiB default fits ~1M small entries)
     * @param ppolicy     load the ppolicy overlay and the default policy
     */
    public static Slapd create(long mdbMaxBytes, boolean ppolicy) throws IOException {
        if (!available()) {
            throw new IllegalStateException("slapd not installed (" + SLAPD + ", " + SLAPADD
                    + " missing): apt-get install slapd ldap-utils");
        }
        Slapd s = new Slapd(Files.createTempDirectory("usher-slapd-"), mdbMaxBytes, ppolicy);
        try {
            s.slapadd(s.baseLdif());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Creates and starts one with the default options. */
    public static Slapd started() throws IOException {
        Slapd s = create();
        try {
            return s.start();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private Slapd(Path dir, long mdbMaxBytes, boolean ppolicy) throws IOException {
        this.dir = dir;
        this.ppolicy = ppolicy;
        this.conf = dir.resolve("slapd.conf");
        this.log = dir.resolve("slapd.log");
        this.password = randomPassword();
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX; fine for tests
        }
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(conf, config(mdbMaxBytes));
    }

    // ------------------------------------------------------------------ accessors

    public String url() { return "ldap://127.0.0.1:" + port() + "/"; }

    public String host() { return "127.0.0.1"; }

    public int port() {
        if (port < 0) throw new IllegalStateException("slapd not started");
        return port;
    }

    public String baseDn() { return BASE_DN; }

    public String peopleDn() { return PEOPLE_DN; }

    public String groupsDn() { return GROUPS_DN; }

    public String bindDn() { return ROOT_DN; }

    public String bindPassword() { return password; }

    /** The temporary directory (config, data, log); deleted by {@link #close()}. */
    public Path directory() { return dir; }

    /** Whether the ppolicy overlay is configured. */
    public boolean ppolicy() { return ppolicy; }

    /** The slapd process id, or -1 when not running. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** What slapd wrote to stdout/stderr so far (with {@code -d 0}: mostly errors). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** A new connection bound as the rootdn; the caller closes it. */
    public LDAPConnection connection() throws LDAPException {
        return new LDAPConnection(connectionOptions(), host(), port(), bindDn(), bindPassword());
    }

    /** A new unauthenticated connection; the caller closes it. */
    public LDAPConnection anonymousConnection() throws LDAPException {
        return new LDAPConnection(connectionOptions(), host(), port());
    }

    private static LDAPConnectionOptions connectionOptions() {
        LDAPConnectionOptions o = new LDAPConnectionOptions();
        o.setConnectTimeoutMillis(5_000);
        o.setResponseTimeoutMillis(60_000);
        return o;
    }

    // ------------------------------------------------------------------ data

    /** Adds entries online, as the rootdn. */
    public void add(Entry... entries) throws LDAPException {
        try (LDAPConnection c = connection()) {
            for (Entry e : entries) {
                c.add(e);
            }
        }
    }

    /** Adds all entries of an LDIF file online (entries only, no change records); returns the count. */
    public int loadLdif(Path ldif) throws IOException, LDAPException {
        try (InputStream in = Files.newInputStream(ldif)) {
            return loadLdif(in);
        }
    }

    /** Adds all entries of LDIF text online; returns the count. */
    public int loadLdif(String ldif) throws IOException, LDAPException {
        return loadLdif(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)));
    }

    private int loadLdif(InputStream in) throws IOException, LDAPException {
        int n = 0;
        try (LDIFReader r = new LDIFReader(in); LDAPConnection c = connection()) {
            Entry e;
            while ((e = r.readEntry()) != null) {
                c.add(e);
                n++;
            }
        } catch (LDIFException e) {
            throw new IOException("bad LDIF: " + e.getMessage(), e);
        }
        return n;
    }

    /**
     * Bulk-loads an LDIF file offline with {@code slapadd -q} (fast: no per-entry checks beyond
     * schema). Only before {@link #start()}; slapadd generates entryUUID, entryCSN and the timestamps.
     */
    public void slapadd(Path ldif) throws IOException {
        if (process != null) {
            throw new IllegalStateException("slapadd only before start() (slapd is running)");
        }
        try {
            runSlapadd(ldif, true);
        } catch (IOException crashed) {
            // Debian's slapadd 2.5 now and then aborts in quick mode on big multi-valued entries ("corrupted
            // size vs. prev_size"): start the database again and load everything without -q
            LOG_RETRY.warning("slapadd failed, reloading the database without -q: " + crashed.getMessage().lines()
                    .reduce((a, b) -> b).orElse(""));
            try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("data"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            for (Path earlier : loaded) {
                runSlapadd(earlier, false);
            }
            runSlapadd(ldif, false);
        }
        loaded.add(ldif);
    }

    private final List<Path> loaded = new java.util.ArrayList<>();
    private static final java.util.logging.Logger LOG_RETRY = java.util.logging.Logger.getLogger(Slapd.class.getName());

    private void runSlapadd(Path ldif, boolean quick) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(SLAPADD.toString()));
        if (quick) {
            cmd.add("-q");
        }
        cmd.addAll(List.of("-w", "-f", conf.toString(), "-b", BASE_DN, "-l", ldif.toAbsolutePath().toString()));
        Path out = dir.resolve("slapadd.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("slapadd timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running slapadd", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("slapadd failed (exit " + p.exitValue() + "): " + cmd + "\n" + Files.readString(out));
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts slapd on a free loopback port and waits until the rootdn can bind.
     *
     * @throws IOException with slapd's output when it exits or does not answer within 30 s
     */
    public synchronized Slapd start() throws IOException {
        if (closed) throw new IllegalStateException("closed");
        if (process != null) throw new IllegalStateException("already started");
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // the free port may be taken between probe and bind
            int candidate = freePort();
            try {
                startOn(candidate);
                return this;
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    private static final class PortTakenException extends IOException {
        PortTakenException(String m) { super(m); }
    }

    private void startOn(int candidate) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SLAPD.toString(),
                "-h", "ldap://127.0.0.1:" + candidate + "/",
                "-f", conf.toString(),
                "-d", "0")); // -d keeps slapd in the foreground, so the pid we hold is slapd itself
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = p;
        port = candidate;
        registerShutdownHook();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        LDAPException lastBind = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                int code = exitCode(p);
                String out = log();
                process = null;
                port = -1;
                if (out.contains("Address already in use")) {
                    throw new PortTakenException("port " + candidate + " taken: " + out);
                }
                throw new IOException("slapd exited with " + code + " during start: " + cmd
                        + "\n--- slapd output ---\n" + out + "--- " + conf + " ---\n" + readQuietly(conf));
            }
            try {
                new LDAPConnection(quickOptions(), host(), candidate, bindDn(), bindPassword()).close();
                return; // bound as the rootdn: ready
            } catch (LDAPException e) {
                lastBind = e;
            }
            sleep(25);
        }
        String out = log();
        stopProcess();
        throw new IOException("slapd did not accept a bind within " + START_TIMEOUT.toSeconds() + " s on "
                + url(candidate) + " (last error: " + lastBind + ")\n--- slapd output ---\n" + out);
    }

    private static String url(int port) { return "ldap://127.0.0.1:" + port + "/"; }

    private static LDAPConnectionOptions quickOptions() {
        LDAPConnectionOptions o = new LDAPConnectionOptions();
        o.setConnectTimeoutMillis(1_000);
        o.setResponseTimeoutMillis(2_000);
        return o;
    }

    /** Stops slapd (if running) by its own pid and deletes the temporary directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            stopProcess();
        } finally {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // JVM is shutting down
                }
                shutdownHook = null;
            }
            deleteTree(dir);
        }
    }

    /** Stops the process: SIGTERM (slapd flushes and exits), wait, then SIGKILL. */
    private void stopProcess() {
        Process p = process;
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        port = -1;
    }

    private void registerShutdownHook() {
        if (shutdownHook != null) return;
        Thread t = new Thread(() -> {
            Process p = process;
            if (p != null) p.destroyForcibly();
        }, "slapd-shutdown-" + dir.getFileName());
        Runtime.getRuntime().addShutdownHook(t);
        shutdownHook = t;
    }

    // ------------------------------------------------------------------ config

    private String config(long mdbMaxBytes) {
        StringBuilder c = new StringBuilder();
        c.append("# generated by io.usher.ldap.servers.Slapd; private test instance\n");
        for (String schema : List.of("core", "cosine", "inetorgperson", "nis")) {
            c.append("include ").append(SCHEMA_DIR.resolve(schema + ".schema")).append('\n');
        }
        c.append("modulepath ").append(MODULE_DIR).append('\n');
        c.append("moduleload back_mdb\n");
        c.append("moduleload syncprov\n");
        if (ppolicy) c.append("moduleload ppolicy\n"); // 2.5: ppolicy schema is built into the module
        c.append("pidfile ").append(dir.resolve("slapd.pid")).append('\n');
        c.append("argsfile ").append(dir.resolve("slapd.args")).append('\n');
        c.append("disallow bind_anon\n");
        // others: 500 per search / page, but paged reads may go through everything (size.prtotal)
        c.append("sizelimit size.soft=500 size.hard=500 size.prtotal=unlimited\n");
        c.append("\ndatabase mdb\n");
        c.append("maxsize ").append(mdbMaxBytes).append('\n');
        c.append("suffix \"").append(BASE_DN).append("\"\n");
        c.append("rootdn \"").append(ROOT_DN).append("\"\n");
        c.append("rootpw ").append(ssha(password)).append('\n');
        c.append("directory ").append(dir.resolve("data")).append('\n');
        c.append("index objectClass eq\n");
        c.append("index entryUUID,entryCSN eq\n");
        c.append("index modifyTimestamp eq\n");
        c.append("index uid,cn,member,uniqueMember,memberUid eq\n");
        c.append("limits dn.exact=\"").append(ROOT_DN).append("\" size=unlimited time=unlimited\n");
        c.append("access to dn.base=\"\" by * read\n");
        c.append("access to dn.base=\"cn=Subschema\" by * read\n");
        c.append("access to attrs=userPassword by self write by anonymous auth by * none\n");
        c.append("access to * by users read by * none\n");
        c.append("overlay syncprov\n");
        c.append("syncprov-checkpoint 100 10\n");
        c.append("syncprov-sessionlog 100000\n");
        if (ppolicy) {
            c.append("overlay ppolicy\n");
            c.append("ppolicy_default \"").append(DEFAULT_POLICY_DN).append("\"\n");
        }
        return c.toString();
    }

    private Path baseLdif() throws IOException {
        String ldif = String.join("\n",
                "dn: " + BASE_DN, "objectClass: dcObject", "objectClass: organization", "dc: usher", "o: usher", "",
                "dn: " + PEOPLE_DN, "objectClass: organizationalUnit", "ou: people", "",
                "dn: " + GROUPS_DN, "objectClass: organizationalUnit", "ou: groups", "");
        if (ppolicy) {
            ldif += String.join("\n", "",
                    "dn: " + POLICIES_DN, "objectClass: organizationalUnit", "ou: policies", "",
                    "dn: " + DEFAULT_POLICY_DN, "objectClass: device", "objectClass: pwdPolicy", "cn: default",
                    "pwdAttribute: userPassword", "pwdLockout: TRUE", "pwdMaxFailure: 0", "");
        }
        Path p = dir.resolve("base.ldif");
        Files.writeString(p, ldif);
        return p;
    }

    // ------------------------------------------------------------------ helpers

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String ssha(String password) {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            sha.update(salt);
            byte[] d = sha.digest();
            byte[] all = new byte[d.length + salt.length];
            System.arraycopy(d, 0, all, 0, d.length);
            System.arraycopy(salt, 0, all, d.length, salt.length);
            return "{SSHA}" + Base64.getEncoder().encodeToString(all);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static int exitCode(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Slapd: could not delete " + root + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "Slapd[" + (isRunning() ? url() + " pid " + pid() : "stopped") + ", " + dir + "]";
    }
}
