package io.usher.ldap.servers;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * A private Samba Active Directory domain controller for tests: provisioned into a temporary
 * directory, serving LDAP on {@code 127.0.0.1:389} and LDAPS on {@code 127.0.0.1:636} (Samba's
 * LDAP ports are fixed), stopped by the pid of its root process in {@link #close()}.
 *
 * <p>Nothing outside the temporary directory is read or written: provisioning runs with
 * {@code -s /dev/null} (so the system {@code /etc/samba/smb.conf} is not merged in) and every
 * pid/lock/state/cache/private/socket/log directory points into the temporary directory.
 *
 * <p>Only one DC can run per machine at a time (fixed ports): instances serialise on a JVM lock
 * and on the file lock {@code $TMPDIR/usher-samba-dc.lock}, so parallel builds on one machine
 * wait instead of failing.
 *
 * <p>Needs root (Samba refuses to run an AD DC otherwise, and binds ports below 1024) and the
 * Debian packages {@code samba samba-ad-dc samba-ad-provision} ({@code .ci/install-samba.sh}).
 */
public final class SambaDc implements AutoCloseable {

    public static final String REALM = "USHER.TEST";
    public static final String DNS_DOMAIN = "usher.test";
    public static final String NETBIOS_DOMAIN = "USHER";
    /** Host name of the DC; its TLS certificate is issued to {@code USHERDC.usher.test}. */
    public static final String HOST_NAME = "usherdc";
    public static final String BASE_DN = "DC=usher,DC=test";
    public static final String USERS_DN = "CN=Users," + BASE_DN;
    public static final String DELETED_OBJECTS_DN = "CN=Deleted Objects," + BASE_DN;
    public static final String ADMIN_DN = "CN=Administrator," + USERS_DN;
    public static final String ADMIN_UPN = "Administrator@" + DNS_DOMAIN;
    public static final String HOST = "127.0.0.1";
    public static final int LDAP_PORT = 389;
    public static final int LDAPS_PORT = 636;

    /** userAccountControl: NORMAL_ACCOUNT. */
    public static final int UAC_NORMAL_ACCOUNT = 0x200;
    /** userAccountControl: ACCOUNTDISABLE. */
    public static final int UAC_ACCOUNTDISABLE = 0x2;
    /** userAccountControl: PASSWD_NOTREQD. */
    public static final int UAC_PASSWD_NOTREQD = 0x20;
    /** groupType of a global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | SECURITY_ENABLED). */
    public static final int GROUP_TYPE_GLOBAL_SECURITY = 0x80000002;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);
    private static final Semaphore JVM_LOCK = new Semaphore(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] TRUST_STORE_PASSWORD = "changeit".toCharArray();

    private final Path dir;
    private final String adminPassword;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final Duration provisionTime;
    private Process process;
    private Duration startTime;
    private Path trustStore;
    private SSLContext sslContext;
    private LDAPConnection admin;
    private Thread shutdownHook;
    private boolean closed;

    // ------------------------------------------------------------------ availability

    /**
     * True when the {@code samba} and {@code samba-tool} binaries (and Debian's AD schema files)
     * are on this machine. {@code -Dusher.samba.unavailable=true} forces false, to try the
     * skip/fail path.
     */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why the DC cannot run here, or empty when it can (as far as binaries go). */
    public static Optional<String> unavailableReason() {
        if (Boolean.getBoolean("usher.samba.unavailable")) {
            return Optional.of("Samba AD DC disabled by -Dusher.samba.unavailable=true");
        }
        List<String> missing = new ArrayList<>();
        for (String bin : List.of("samba", "samba-tool")) {
            if (findBinary(bin).isEmpty()) {
                missing.add(bin);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("Samba AD DC binaries not found: " + String.join(", ", missing)
                    + " (install with .ci/install-samba.sh: Debian packages samba samba-ad-dc samba-ad-provision)");
        }
        if (!Files.isDirectory(Paths.get("/usr/share/samba/setup/ad-schema"))) {
            return Optional.of("Samba AD schema files not found under /usr/share/samba/setup"
                    + " (Debian package samba-ad-provision; run .ci/install-samba.sh)");
        }
        return Optional.empty();
    }

    static Optional<Path> findBinary(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        for (String d : path.split(":")) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Paths.get(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Provisions a fresh domain and starts its DC; returns once an LDAPS bind succeeds. */
    public static SambaDc start() throws IOException, InterruptedException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException(reason.get());
        }
        if (!JVM_LOCK.tryAcquire(LOCK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("another SambaDc in this JVM did not close within " + LOCK_TIMEOUT);
        }
        FileChannel channel = null;
        FileLock lock = null;
        Path dir = null;
        boolean jvmLockHandedOver = false;
        try {
            Path lockFile = Paths.get(System.getProperty("java.io.tmpdir"), "usher-samba-dc.lock");
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = acquireFileLock(channel, lockFile);
            checkPortsFree();
            dir = Files.createTempDirectory("usher-samba-dc-");
            String password = generatePassword();
            long t0 = System.nanoTime();
            provision(dir, password);
            Duration provision = Duration.ofNanos(System.nanoTime() - t0);
            SambaDc dc = new SambaDc(dir, password, channel, lock, provision);
            jvmLockHandedOver = true; // dc.close() releases it from now on
            try {
                dc.launch();
            } catch (IOException | InterruptedException | RuntimeException e) {
                dc.close();
                throw e;
            }
            return dc;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (dir != null && Files.exists(dir) && lock != null && lock.isValid()) {
                deleteRecursively(dir);
            }
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
            if (!jvmLockHandedOver) {
                JVM_LOCK.release();
            }
            throw e;
        }
    }

    private SambaDc(Path dir, String adminPassword, FileChannel lockChannel, FileLock fileLock, Duration provisionTime) {
        this.dir = dir;
        this.adminPassword = adminPassword;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.provisionTime = provisionTime;
    }

    private static FileLock acquireFileLock(FileChannel channel, Path lockFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        boolean told = false;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (!told) {
                System.err.println("[SambaDc] another process holds " + lockFile + " (a Samba DC is running for another build); waiting");
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another process held " + lockFile + " for more than " + LOCK_TIMEOUT);
            }
            Thread.sleep(500);
        }
    }

    private static void checkPortsFree() {
        for (int port : new int[] {LDAP_PORT, LDAPS_PORT}) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 500);
            } catch (IOException refused) {
                continue; // nothing listens: good
            }
            throw new IllegalStateException("Port " + port + " on " + HOST + " is already in use"
                    + describeListener(port) + ". The Samba AD DC fixture needs the fixed LDAP ports 389 and 636:"
                    + " stop the system samba/slapd (e.g. `systemctl stop samba-ad-dc slapd`, or run .ci/install-samba.sh,"
                    + " which stops Samba's system services) and try again.");
        }
    }

    private static String describeListener(int port) {
        Optional<Path> ss = findBinary("ss");
        if (ss.isEmpty()) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(ss.get().toString(), "-ltnpH", "sport = :" + port)
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.isEmpty() ? "" : " (listener: " + out.replaceAll("\\s+", " ") + ")";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    static String generatePassword() {
        String upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        String lower = "abcdefghijkmnopqrstuvwxyz";
        String digits = "23456789";
        String symbols = "!#%+-.=@_";
        String all = upper + lower + digits + symbols;
        StringBuilder sb = new StringBuilder("Us");
        sb.append(upper.charAt(RANDOM.nextInt(upper.length())));
        sb.append(lower.charAt(RANDOM.nextInt(lower.length())));
        sb.append(digits.charAt(RANDOM.nextInt(digits.length())));
        sb.append(symbols.charAt(RANDOM.nextInt(symbols.length())));
        for (int i = 0; i < 20; i++) {
            sb.append(all.charAt(RANDOM.nextInt(all.length())));
        }
        return sb.toString();
    }

    private static void provision(Path dir, String password) throws IOException, InterruptedException {
        String d = dir.toString();
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        List<String> cmd = List.of(
                findBinary("samba-tool").orElseThrow().toString(), "domain", "provision",
                "-s", "/dev/null", // do not merge the system /etc/samba/smb.conf into ours
                "--realm=" + REALM, "--domain=" + NETBIOS_DOMAIN, "--server-role=dc", "--dns-backend=NONE",
                "--host-name=" + HOST_NAME,
                "--targetdir=" + d,
                "--option=netbios name=" + HOST_NAME.toUpperCase(Locale.ROOT),
                "--option=interfaces=lo", "--option=bind interfaces only=yes",
                "--option=server services=ldap",
                "--option=pid directory=" + d + "/run",
                "--option=ncalrpc dir=" + d + "/run/ncalrpc",
                "--option=winbindd socket directory=" + d + "/run/winbindd",
                "--option=ntp signd socket directory=" + d + "/run/ntp_signd",
                "--option=log file=" + d + "/log/samba.log",
                "--option=nsupdate command=/bin/true",
                // no password expiry surprises in long-running tests
                "--adminpass=" + password);
        Path out = dir.resolve("provision.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("samba-tool domain provision did not finish in 5 minutes; log: " + tail(out));
        }
        if (p.exitValue() != 0) {
            throw new IOException("samba-tool domain provision failed (exit " + p.exitValue() + "):\n" + tail(out));
        }
    }

    private void launch() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path out = dir.resolve("samba.out");
        List<String> cmd = List.of(findBinary("samba").orElseThrow().toString(),
                "-i", "-s", dir.resolve("etc/smb.conf").toString(), "--option=server services=ldap");
        // stdin stays an open pipe: `samba -i` exits when its stdin closes, so a JVM that dies
        // without close() still takes the DC down with it.
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        shutdownHook = new Thread(this::stopProcess, "samba-dc-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path ca = dir.resolve("private/tls/ca.pem");
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("samba exited with " + process.exitValue() + " before serving LDAPS:\n" + tail(out));
            }
            if (sslContext == null && Files.isRegularFile(ca) && Files.size(ca) > 0
                    && Files.isRegularFile(dir.resolve("private/tls/cert.pem"))) {
                try {
                    initTrust(ca);
                } catch (Exception e) {
                    last = e; // file still being written
                }
            }
            if (sslContext != null) {
                try (LDAPConnection c = connection()) {
                    c.getRootDSE();
                    startTime = Duration.ofNanos(System.nanoTime() - t0);
                    return;
                } catch (LDAPException e) {
                    last = e;
                }
            }
            Thread.sleep(200);
        }
        throw new IOException("samba did not accept an LDAPS bind within " + START_TIMEOUT
                + (last == null ? "" : " (last error: " + last + ")") + "; output:\n" + tail(out));
    }

    private void initTrust(Path caPem) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(caPem)) {
            for (Certificate c : cf.generateCertificates(in)) {
                ks.setCertificateEntry("samba-ca-" + i++, c);
            }
        }
        if (i == 0) {
            throw new IOException("no certificate in " + caPem);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        Path store = dir.resolve("truststore.p12");
        try (OutputStream os = Files.newOutputStream(store)) {
            ks.store(os, TRUST_STORE_PASSWORD);
        }
        trustStore = store;
        sslContext = ctx;
    }

    /**
     * Stops the DC by the pid of its root process ({@code samba: root process}); any process of
     * its process group or tree that outlives {@link #STOP_TIMEOUT} is killed. Then deletes the
     * directory and releases the locks. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (admin != null) {
                admin.close();
                admin = null;
            }
            stopProcess();
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // JVM is exiting; the hook does the same work
                }
            }
            deleteRecursively(dir);
        } finally {
            try {
                if (fileLock.isValid()) {
                    fileLock.release();
                }
                lockChannel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            JVM_LOCK.release();
        }
    }

    private void stopProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        long rootPid = p.pid();
        // Snapshot the tree before the root goes: orphans are re-parented and no longer descendants.
        Set<ProcessHandle> tree = new HashSet<>();
        p.descendants().forEach(tree::add);
        tree.addAll(processGroupMembers(rootPid));
        if (p.isAlive()) {
            p.destroy(); // SIGTERM to the root process; samba terminates its whole process group
        }
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("[SambaDc] samba root process " + rootPid + " ignored SIGTERM; killing");
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            tree.addAll(processGroupMembers(rootPid));
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                System.err.println("[SambaDc] killing surviving samba child " + h.pid());
                h.destroyForcibly();
            }
        }
        process = null;
    }

    /** Live processes whose process group is {@code pgid} (samba runs in its own group). */
    static List<ProcessHandle> processGroupMembers(long pgid) {
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[2]) == pgid) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(out::add);
                    }
                } catch (IOException | RuntimeException vanished) {
                    // process ended while we looked
                }
            });
        } catch (IOException noProc) {
            // not Linux: rely on descendants()
        }
        return out;
    }

    /** Pid of the running {@code samba: root process}, for diagnostics. */
    public long rootPid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("not running");
        }
        return p.pid();
    }

    /** Samba processes (root and children) that are alive now, root first. */
    public List<ProcessHandle> processes() {
        Process p = process;
        if (p == null) {
            return List.of();
        }
        Set<ProcessHandle> all = new HashSet<>();
        p.descendants().forEach(all::add);
        all.addAll(processGroupMembers(p.pid()));
        List<ProcessHandle> list = new ArrayList<>();
        list.add(p.toHandle());
        all.stream().filter(h -> h.pid() != p.pid()).sorted(Comparator.comparingLong(ProcessHandle::pid)).forEach(list::add);
        return list;
    }

    // ------------------------------------------------------------------ accessors

    public String ldapsUrl() {
        return "ldaps://" + HOST + ":" + LDAPS_PORT;
    }

    /** Plain LDAP URL; Samba refuses simple binds on it unless StartTLS is used first. */
    public String ldapUrl() {
        return "ldap://" + HOST + ":" + LDAP_PORT;
    }

    public String host() {
        return HOST;
    }

    public int ldapsPort() {
        return LDAPS_PORT;
    }

    public int ldapPort() {
        return LDAP_PORT;
    }

    public String baseDn() {
        return BASE_DN;
    }

    public String usersDn() {
        return USERS_DN;
    }

    public String deletedObjectsDn() {
        return DELETED_OBJECTS_DN;
    }

    /** {@code CN=Administrator,CN=Users,DC=usher,DC=test}; simple binds accept this DN or {@link #bindUpn()}. */
    public String bindDn() {
        return ADMIN_DN;
    }

    /** {@code Administrator@usher.test}. */
    public String bindUpn() {
        return ADMIN_UPN;
    }

    public String bindPassword() {
        return adminPassword;
    }

    /** Samba's self-signed CA (generated at first start), PEM. */
    public Path caCertPath() {
        return dir.resolve("private/tls/ca.pem");
    }

    /** PKCS12 trust store holding only {@link #caCertPath()}; password {@link #trustStorePassword()}. */
    public Path trustStorePath() {
        return trustStore;
    }

    public char[] trustStorePassword() {
        return TRUST_STORE_PASSWORD.clone();
    }

    public String trustStoreType() {
        return "PKCS12";
    }

    /** Trusts Samba's CA only. The certificate names {@code USHERDC.usher.test}, not 127.0.0.1. */
    public SSLContext sslContext() {
        return sslContext;
    }

    public SSLSocketFactory sslSocketFactory() {
        return sslContext.getSocketFactory();
    }

    public Path directory() {
        return dir;
    }

    public Duration provisionTime() {
        return provisionTime;
    }

    public Duration startTime() {
        return startTime;
    }

    /** A new LDAPS connection bound as Administrator@usher.test; the caller closes it. */
    public LDAPConnection connection() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(5_000);
        options.setResponseTimeoutMillis(120_000);
        LDAPConnection c = new LDAPConnection(sslSocketFactory(), options, HOST, LDAPS_PORT);
        try {
            c.bind(ADMIN_UPN, adminPassword);
        } catch (LDAPException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private synchronized LDAPConnection admin() throws LDAPException {
        if (closed) {
            throw new IllegalStateException("SambaDc closed");
        }
        if (admin == null || !admin.isConnected()) {
            admin = connection();
        }
        return admin;
    }

    // ------------------------------------------------------------------ population

    /**
     * Creates a user under CN=Users with CN = sAMAccountName. An enabled user gets a random
     * password (set through {@code unicodePwd}, allowed over LDAPS) and userAccountControl 512;
     * a disabled one has no password and userAccountControl 514. Returns its DN.
     */
    public String addUser(String sAMAccountName, String givenName, String sn, boolean enabled) throws LDAPException {
        return addUser(admin(), USERS_DN, sAMAccountName, givenName, sn, enabled, true);
    }

    /** As {@link #addUser(String, String, String, boolean)} in another container (e.g. an OU). */
    public String addUser(String parentDn, String sAMAccountName, String givenName, String sn, boolean enabled) throws LDAPException {
        return addUser(admin(), parentDn, sAMAccountName, givenName, sn, enabled, true);
    }

    private static String addUser(LDAPConnection c, String parentDn, String sam, String givenName, String sn,
                                  boolean enabled, boolean withPassword) throws LDAPException {
        String dn = childDn(parentDn, sam);
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "person", "organizationalPerson", "user");
        e.addAttribute("sAMAccountName", sam);
        e.addAttribute("userPrincipalName", sam + "@" + DNS_DOMAIN);
        if (givenName != null) {
            e.addAttribute("givenName", givenName);
        }
        if (sn != null) {
            e.addAttribute("sn", sn);
        }
        String display = ((givenName == null ? "" : givenName) + " " + (sn == null ? "" : sn)).trim();
        if (!display.isEmpty()) {
            e.addAttribute("displayName", display);
        }
        int uac;
        if (!enabled) {
            uac = UAC_NORMAL_ACCOUNT | UAC_ACCOUNTDISABLE;
        } else if (withPassword) {
            uac = UAC_NORMAL_ACCOUNT;
            e.addAttribute(new Attribute("unicodePwd", unicodePwd(generatePassword())));
        } else {
            uac = UAC_NORMAL_ACCOUNT | UAC_PASSWD_NOTREQD;
        }
        e.addAttribute("userAccountControl", Integer.toString(uac));
        c.add(e);
        return dn;
    }

    /**
     * Bulk path: adds {@code count} users {@code prefix00001…} over the one shared connection.
     * Enabled users are created with PASSWD_NOTREQD (userAccountControl 544) and no password,
     * which skips Samba's per-user password hashing; disabled ones get 514. Returns their DNs.
     */
    public List<String> addUsers(String prefix, int count, boolean enabled) throws LDAPException {
        LDAPConnection c = admin();
        List<String> dns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String sam = String.format(Locale.ROOT, "%s%05d", prefix, i);
            dns.add(addUser(c, USERS_DN, sam, "Given" + i, "Bulk" + i, enabled, false));
        }
        return dns;
    }

    /**
     * Fast bulk path: adds {@code count} users {@code prefix00001…} under CN=Users with one
     * {@code ldbadd} run against the DC's sam.ldb (Samba's own module stack assigns objectGUID,
     * objectSid, uSNs; the running DC sees the entries at once, as with {@code samba-tool user add}).
     * Same attributes as {@link #addUsers}. Falls back to LDAP when {@code ldbadd} (Debian package
     * {@code ldb-tools}) is missing. Returns their DNs.
     */
    public List<String> addUsersWithLdbadd(String prefix, int count, boolean enabled) throws LDAPException, IOException, InterruptedException {
        Optional<Path> ldbadd = findBinary("ldbadd");
        if (ldbadd.isEmpty()) {
            return addUsers(prefix, count, enabled);
        }
        List<String> dns = new ArrayList<>(count);
        StringBuilder ldif = new StringBuilder(count * 256);
        int uac = UAC_NORMAL_ACCOUNT | (enabled ? UAC_PASSWD_NOTREQD : UAC_ACCOUNTDISABLE);
        for (int i = 1; i <= count; i++) {
            String sam = String.format(Locale.ROOT, "%s%05d", prefix, i);
            String dn = childDn(USERS_DN, sam);
            dns.add(dn);
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "top", "person", "organizationalPerson", "user");
            e.addAttribute("sAMAccountName", sam);
            e.addAttribute("userPrincipalName", sam + "@" + DNS_DOMAIN);
            e.addAttribute("givenName", "Given" + i);
            e.addAttribute("sn", "Bulk" + i);
            e.addAttribute("displayName", "Given" + i + " Bulk" + i);
            e.addAttribute("userAccountControl", Integer.toString(uac));
            ldif.append(e.toLDIFString()).append('\n');
        }
        Path file = Files.createTempFile(dir, "bulk-", ".ldif");
        Files.writeString(file, ldif, StandardCharsets.UTF_8);
        Path out = dir.resolve("ldbadd.log");
        Process p = new ProcessBuilder(ldbadd.get().toString(),
                "--configfile=" + dir.resolve("etc/smb.conf"),
                "-H", dir.resolve("private/sam.ldb").toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ldbadd of " + count + " users failed:\n" + tail(out));
        }
        Files.deleteIfExists(file);
        return dns;
    }

    /** The value AD expects in unicodePwd: the password in double quotes, UTF-16LE. */
    public static byte[] unicodePwd(String password) {
        return ("\"" + password + "\"").getBytes(StandardCharsets.UTF_16LE);
    }

    /** Creates a global security group under CN=Users; returns its DN. */
    public String addGroup(String name) throws LDAPException {
        return addGroup(USERS_DN, name);
    }

    public String addGroup(String parentDn, String name) throws LDAPException {
        String dn = childDn(parentDn, name);
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "group");
        e.addAttribute("sAMAccountName", name);
        e.addAttribute("groupType", Integer.toString(GROUP_TYPE_GLOBAL_SECURITY));
        admin().add(e);
        return dn;
    }

    /** Creates an organizational unit under the base DN; returns its DN. */
    public String addOrganizationalUnit(String name) throws LDAPException {
        String dn = new DN(new RDN("OU", name), new DN(BASE_DN)).toString();
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "organizationalUnit");
        e.addAttribute("ou", name);
        admin().add(e);
        return dn;
    }

    /** Adds a member (a user or a group, so nesting works) to a group. */
    public void addMember(String groupDn, String memberDn) throws LDAPException {
        admin().modify(groupDn, new Modification(ModificationType.ADD, "member", memberDn));
    }

    /** Adds many members in modifications of up to 5,000 values each. */
    public void addMembers(String groupDn, Collection<String> memberDns) throws LDAPException {
        List<String> all = new ArrayList<>(memberDns);
        for (int from = 0; from < all.size(); from += 5_000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 5_000));
            admin().modify(groupDn, new Modification(ModificationType.ADD, "member", chunk.toArray(new String[0])));
        }
    }

    public void removeMember(String groupDn, String memberDn) throws LDAPException {
        admin().modify(groupDn, new Modification(ModificationType.DELETE, "member", memberDn));
    }

    /** Renames in place (modrdn, old RDN deleted): {@code CN=old,…} becomes {@code CN=newCn,…}; returns the new DN. */
    public String rename(String dn, String newCn) throws LDAPException {
        RDN rdn = new RDN("CN", newCn);
        admin().modifyDN(new ModifyDNRequest(dn, rdn.toString(), true));
        return new DN(rdn, new DN(dn).getParent()).toString();
    }

    /** Moves an entry under another container, keeping its RDN; returns the new DN. */
    public String move(String dn, String newParentDn) throws LDAPException {
        DN d = new DN(dn);
        admin().modifyDN(new ModifyDNRequest(dn, d.getRDN().toString(), true, newParentDn));
        return new DN(d.getRDN(), new DN(newParentDn)).toString();
    }

    /** Deletes an entry; in AD it becomes a tombstone under CN=Deleted Objects. */
    public void delete(String dn) throws LDAPException {
        admin().delete(dn);
    }

    /** Sets the ACCOUNTDISABLE bit (0x2) of userAccountControl. */
    public void disable(String dn) throws LDAPException {
        setUacBit(dn, UAC_ACCOUNTDISABLE, true);
    }

    /** Clears the ACCOUNTDISABLE bit; the account must have a password or PASSWD_NOTREQD. */
    public void enable(String dn) throws LDAPException {
        setUacBit(dn, UAC_ACCOUNTDISABLE, false);
    }

    private void setUacBit(String dn, int bit, boolean on) throws LDAPException {
        SearchResultEntry e = admin().getEntry(dn, "userAccountControl");
        if (e == null) {
            throw new IllegalArgumentException("no such entry: " + dn);
        }
        int uac = e.getAttributeValueAsInteger("userAccountControl");
        int next = on ? (uac | bit) : (uac & ~bit);
        admin().modify(dn, new Modification(ModificationType.REPLACE, "userAccountControl", Integer.toString(next)));
    }

    /** Replaces one attribute's values (handy to make uSNChanged move). */
    public void replace(String dn, String attribute, String... values) throws LDAPException {
        admin().modify(dn, new Modification(ModificationType.REPLACE, attribute, values));
    }

    /** The root DSE's highestCommittedUSN now. */
    public long highestCommittedUsn() throws LDAPException {
        return Long.parseLong(admin().getRootDSE().getAttributeValue("highestCommittedUSN"));
    }

    // ------------------------------------------------------------------ helpers

    /** AD's canonical text form of a binary objectGUID (first three groups little-endian). */
    public static String guidToString(byte[] g) {
        if (g == null || g.length != 16) {
            throw new IllegalArgumentException("objectGUID must be 16 bytes");
        }
        return String.format(Locale.ROOT, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    }

    private static String childDn(String parentDn, String cn) throws LDAPException {
        return new DN(new RDN("CN", cn), new DN(parentDn)).toString();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("[SambaDc] could not delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("[SambaDc] could not delete " + root + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "SambaDc[" + ldapsUrl() + ", base " + BASE_DN + ", dir " + dir + "]";
    }
}
