package io.usher.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import io.usher.core.UsherException;
import io.usher.core.spi.SourceException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LDAP connector's plumbing: the connection pool (failover servers, LDAPS or StartTLS with the
 * configured trust and hostname verification), paged searches with one page read ahead, and the mapping of
 * LDAP errors to {@link SourceException}s that name the servers and the result code, never the password.
 * Thread-safe; {@link #close()} may be called from any thread.
 */
final class LdapReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapReader.class);
    private final LdapConfig config;
    private volatile LDAPConnectionPool pool;

    LdapReader(LdapConfig config) {
        this.config = config;
    }


    /**
     * One paged search on one connection (cookies belong to a connection), page by page. A reader thread
     * asks for the next page while this thread hands the current one on, so the server's and the network's
     * time overlap with conversion and reconciliation; at most two pages are in memory.
     */
    void paged(String base, Filter filter, List<String> attributes, List<Control> extra,
                       EntryHandler each) throws SourceException {
        paged(base, filter, attributes, extra, null, (SearchResultEntry e) -> each.accept(e));
    }

    /**
     * A paged search whose entries are converted as they arrive, off the calling thread, so that turning
     * entries into records overlaps with the caller's handling of the previous page. {@code convert} runs on
     * the page-reader thread (the SDK hands each entry to the search's listener there as it arrives from the
     * connection's own reader thread), one entry at a time and in order (it may keep state that only it
     * touches until this method returns: the page-reader thread has ended by then); a null
     * result is dropped; what it throws ends the read and is thrown here. {@code each} runs on the calling
     * thread. Only the converted records of a page wait for the caller, never the page's raw entries: a page
     * of 1,000 groups of 2,000 members each is ~180 MB as SDK entries and a few MB as records, and entries
     * that die at once are never copied by the garbage collector.
     */
    <T> void paged(String base, Filter filter, List<String> attributes, List<Control> extra,
                   java.util.function.Function<SearchResultEntry, T> convert, Handler<T> each) throws SourceException {
        PageReader[] made = new PageReader[1];
        withConnection(c -> {
            PageReader reader = new PageReader(c, base, filter, attributes, extra, convert);
            made[0] = reader;
            Thread thread = new Thread(reader, "usher-ldap-page-reader");
            thread.setDaemon(true);
            thread.start();
            boolean abandoned = true; // the caller gave up (its handler threw, or it was interrupted)
            try {
                for (List<?> page = reader.next(); page != null; page = reader.next()) {
                    for (Object o : page) {
                        @SuppressWarnings("unchecked")
                        T t = (T) o;
                        each.accept(t);
                    }
                }
                abandoned = false;
            } catch (LDAPException e) {
                abandoned = false; // the reader ended with it
                throw e;
            } finally {
                reader.stop(thread, abandoned);
            }
            return null;
        }, e -> made[0].firstSearch); // the caller has had nothing yet: the read may start again
    }

    /** Reads pages into a one-slot queue; the consumer takes them with {@link #next()}. */
    private final class PageReader implements Runnable, com.unboundid.ldap.sdk.SearchResultListener {
        private static final long serialVersionUID = 1L;

        private final LDAPConnection connection;
        private final String base;
        private final Filter filter;
        private final String[] attributes;
        private final List<Control> extra;
        private final java.util.function.Function<SearchResultEntry, ?> convert;
        private final java.util.concurrent.BlockingQueue<Object> pages =
                new java.util.concurrent.ArrayBlockingQueue<>(1);
        private volatile boolean stopped;
        /** Whether no search has ended yet, so no page has gone to the caller (read after {@link #next()} threw). */
        volatile boolean firstSearch = true;
        private final Object end = new Object();

        PageReader(LDAPConnection connection, String base, Filter filter, List<String> attributes, List<Control> extra,
                   java.util.function.Function<SearchResultEntry, ?> convert) {
            this.convert = convert;
            this.connection = connection;
            this.base = base;
            this.filter = filter;
            this.attributes = attributes.toArray(new String[0]);
            this.extra = extra;
        }

        @Override
        public void run() {
            Object last = end;
            try {
                ASN1OctetString cookie = null;
                do {
                    SearchRequest r = convert == null
                            ? new SearchRequest(base, SearchScope.SUB, filter, attributes)
                            : new SearchRequest(this, base, SearchScope.SUB, filter, attributes);
                    List<Control> controls = new ArrayList<>(extra);
                    controls.add(new SimplePagedResultsControl(config.pageSize, cookie, false));
                    r.setControls(controls);
                    r.setResponseTimeoutMillis(config.responseTimeout.toMillis());
                    SearchResult result = connection.search(r);
                    firstSearch = false;
                    if (stopped) {
                        return;
                    }
                    if (convert == null) {
                        pages.put(result.getSearchEntries());
                    } else {
                        if (convertFailed != null) {
                            throw convertFailed;
                        }
                        List<Object> page = current;
                        current = new ArrayList<>(page.size());
                        pages.put(page);
                    }
                    SimplePagedResultsControl back = SimplePagedResultsControl.get(result);
                    cookie = back == null ? null : back.getCookie();
                } while (cookie != null && cookie.getValueLength() > 0 && !stopped);
            } catch (LDAPException e) {
                last = e;
            } catch (InterruptedException e) {
                return; // the consumer stopped
            } catch (RuntimeException e) {
                last = e;
            }
            if (stopped) {
                return; // nobody takes it (the one slot may hold an unread page); stop() may have closed the connection
            }
            try {
                pages.put(last);
            } catch (InterruptedException e) {
                // the consumer stopped
            }
        }

        /** This page's records so far (touched by this reader's thread only); handed over when the page ends. */
        private List<Object> current = new ArrayList<>();
        /** What {@code convert} threw; the rest of the page is skipped and the read ends with it. */
        private RuntimeException convertFailed;

        /** Called on this reader's thread, during {@code connection.search}, with each entry as it arrives. */
        @Override
        public void searchEntryReturned(SearchResultEntry e) {
            if (convertFailed != null || stopped) {
                return;
            }
            try {
                Object o = convert.apply(e);
                if (o != null) {
                    current.add(o);
                }
            } catch (RuntimeException x) {
                convertFailed = x;
            }
        }

        @Override
        public void searchReferenceReturned(com.unboundid.ldap.sdk.SearchResultReference r) {
            // referrals are not followed
        }

        /** The next page, or null at the end; a failed read surfaces here. */
        List<?> next() throws LDAPException {
            Object o;
            try {
                o = pages.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsherException(UsherException.Code.INTERRUPTED, "interrupted while reading " + base);
            }
            if (o == end) {
                return null;
            }
            if (o instanceof LDAPException) {
                throw (LDAPException) o;
            }
            if (o instanceof RuntimeException) {
                throw (RuntimeException) o;
            }
            return (List<?>) o;
        }

        /**
         * Ends the reader and waits for it, so the connection is idle before it goes back to the pool. When the
         * caller gave up half-way, the connection is closed first (it is released as defunct anyway): in the SDK's
         * synchronous mode the reader may be blocked reading the socket for the next page, which an interrupt
         * does not end, so without the close a slow server would hold the caller for up to the response timeout.
         */
        void stop(Thread thread, boolean abandoned) {
            stopped = true;
            thread.interrupt();
            if (abandoned && thread.isAlive()) {
                connection.closeWithoutUnbind();
            }
            try {
                thread.join(config.responseTimeout.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    interface EntryHandler {
        void accept(SearchResultEntry e) throws SourceException;
    }

    @FunctionalInterface
    interface Handler<T> {
        void accept(T t) throws SourceException;
    }

    @FunctionalInterface
    interface WithConnection<T> {
        T apply(LDAPConnection c) throws LDAPException;
    }

    /**
     * Runs a body that only reads and has no effect before it returns (it is run again on a new connection
     * when the server had closed the pooled one; see {@link #withConnection(WithConnection, Retry)}).
     */
    <T> T withConnection(WithConnection<T> body) throws SourceException {
        return withConnection(body, e -> true);
    }

    /** Whether a body that failed with a closed connection has had no effect yet, so it may run again. */
    @FunctionalInterface
    interface Retry {
        boolean nothingDone(LDAPException e);
    }

    /**
     * Runs the body on a pooled connection. In the SDK's synchronous mode nothing reads an idle pooled
     * connection, so the pool learns that the server closed it (a directory's idle limit, such as AD's
     * MaxConnIdleTime, or a restart) only from its periodic health check or when a body fails on it; such a
     * failure (SERVER_DOWN, no entry received, and {@code retry} agrees) runs the body again on a new connection,
     * at most once per connection the pool may hold.
     */
    <T> T withConnection(WithConnection<T> body, Retry retry) throws SourceException {
        LDAPConnectionPool p = pool();
        for (int attempt = 0; ; attempt++) {
            LDAPConnection c;
            try {
                c = p.getConnection();
            } catch (LDAPException e) {
                throw failure("connecting", e);
            }
            try {
                T out = body.apply(c);
                p.releaseConnection(c);
                return out;
            } catch (LDAPException e) {
                p.releaseConnectionAfterException(c, e);
                if (attempt < config.poolSize && closedBeforeAnswering(e) && retry.nothingDone(e)) {
                    LOG.info("a pooled connection to {} had been closed by the server; reading again on a new one",
                            config.urls);
                    continue;
                }
                throw failure("reading", e);
            } catch (RuntimeException e) {
                p.releaseDefunctConnection(c); // a read abandoned half-way may leave responses on the wire
                throw e;
            }
        }
    }

    private static boolean closedBeforeAnswering(LDAPException e) {
        return e.getResultCode() == ResultCode.SERVER_DOWN && (!(e instanceof LDAPSearchException)
                || ((LDAPSearchException) e).getEntryCount() == 0 && ((LDAPSearchException) e).getReferenceCount() == 0);
    }

    private SourceException failure(String what, LDAPException e) {
        ResultCode rc = e.getResultCode();
        UsherException.Code code;
        if (rc == ResultCode.INVALID_CREDENTIALS || rc == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
            code = UsherException.Code.SOURCE_AUTH;
        } else if (!ResultCode.isConnectionUsable(rc) || rc == ResultCode.BUSY || rc == ResultCode.UNAVAILABLE
                || rc == ResultCode.TIMEOUT || rc == ResultCode.TIME_LIMIT_EXCEEDED || rc == ResultCode.ADMIN_LIMIT_EXCEEDED) {
            code = UsherException.Code.SOURCE_UNAVAILABLE;
        } else {
            code = UsherException.Code.SOURCE_DATA;
        }
        String diag = e.getDiagnosticMessage();
        if (diag != null && diag.length() > 200) {
            diag = diag.substring(0, 200) + "…";
        }
        return new SourceException(code, what + " " + config.urls + " failed: LDAP result " + rc.getName() + " ("
                + rc.intValue() + ")" + (diag == null || diag.isBlank() ? "" : ": " + diag), null);
    }

    private LDAPConnectionPool pool() throws SourceException {
        LDAPConnectionPool p = pool;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (pool == null) {
                pool = createPool();
            }
            return pool;
        }
    }

    private LDAPConnectionPool createPool() throws SourceException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, config.connectTimeout.toMillis()));
        options.setResponseTimeoutMillis(config.responseTimeout.toMillis());
        // synchronous mode: the thread that searches reads the socket and decodes each entry itself, instead of a
        // reader thread per connection handing every entry over through a queue (a wake-up per entry). The
        // connector issues no asynchronous operations. Measured at 100k users: ~0.15 s less JVM CPU per full
        // sync (docs/BENCHMARKS.md).
        options.setUseSynchronousMode(true);
        boolean tls = config.startTls || config.urls.stream().anyMatch(u -> u.getScheme().equals("ldaps"));
        SSLUtil ssl = null;
        if (tls) {
            TrustManager tm = config.trustStore != null
                    ? new TrustStoreTrustManager(config.trustStore,
                    config.trustStorePassword() == null ? null : config.trustStorePassword().toCharArray(),
                    config.trustStoreType, true)
                    : JVMDefaultTrustManager.getInstance();
            ssl = new SSLUtil(tm);
            if (config.hostnameVerification) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
        }
        String[] hosts = new String[config.urls.size()];
        int[] ports = new int[hosts.length];
        boolean ldaps = false;
        for (int i = 0; i < hosts.length; i++) {
            URI u = config.urls.get(i);
            hosts[i] = u.getHost();
            ldaps = u.getScheme().equals("ldaps");
            ports[i] = u.getPort() > 0 ? u.getPort() : ldaps ? 636 : 389;
        }
        try {
            SocketFactory sockets = ldaps ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
            PostConnectProcessor startTls = null;
            if (config.startTls) {
                SSLContext ctx = ssl.createSSLContext();
                startTls = new StartTLSPostConnectProcessor(ctx);
            }
            FailoverServerSet servers = new FailoverServerSet(hosts, ports, sockets, options);
            SimpleBindRequest bind = new SimpleBindRequest(config.bindDn, config.bindPassword());
            return new LDAPConnectionPool(servers, bind, 1, config.poolSize, startTls);
        } catch (GeneralSecurityException e) {
            throw new SourceException(UsherException.Code.CONFIG, "TLS setup failed for " + config.urls + ": "
                    + e.getClass().getSimpleName(), null);
        } catch (LDAPException e) {
            throw failure("connecting to", e);
        }
    }

    @Override
    public void close() {
        LDAPConnectionPool p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.close();
        }
    }
}
