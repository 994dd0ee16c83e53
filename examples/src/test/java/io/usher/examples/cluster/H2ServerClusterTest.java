package io.usher.examples.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cluster tests on H2 in server mode: a TCP server on loopback over file databases in a temp dir. */
class H2ServerClusterTest extends ClusterContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Server server;
    private static Path baseDir;

    @BeforeAll
    static void startServer() throws SQLException, IOException {
        baseDir = Files.createTempDirectory("usher-h2-cluster");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", baseDir.toString(),
                "-ifNotExists").start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.stop();
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    protected String freshDatabase() {
        return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/./cluster-" + SEQ.incrementAndGet()
                + ";LOCK_TIMEOUT=10000";
    }
}
