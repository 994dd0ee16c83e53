package io.usher.ldap.servers;

import com.unboundid.ldap.sdk.LDAPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture's own contract: clean stop by root pid (no child survives), clear port-conflict error. */
class SambaDcLifecycleTest {

    @BeforeAll
    static void needsSamba() {
        SambaDcExtension.assumeAvailable();
    }

    @Test
    void closeStopsEveryProcessAndDeletesTheDirectory() throws Exception {
        Path dir;
        List<ProcessHandle> processes;
        long rootPid;
        try (SambaDc dc = SambaDc.start()) {
            System.out.printf("[SambaDcLifecycleTest] provision %d ms, start %d ms%n",
                    dc.provisionTime().toMillis(), dc.startTime().toMillis());
            dir = dc.directory();
            rootPid = dc.rootPid();
            processes = dc.processes();
            assertThat(processes.get(0).pid()).isEqualTo(rootPid);
            assertThat(processes.size()).as("root + prefork master + workers").isGreaterThan(2);
            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(Files.isRegularFile(dc.caCertPath())).isTrue();
            assertThat(Files.isRegularFile(dc.trustStorePath())).isTrue();
            try (LDAPConnection c = dc.connection()) {
                assertThat(c.getRootDSE()).isNotNull();
            }
            // No pid/lock files outside the private directory
            assertThat(Files.isRegularFile(dir.resolve("run/samba.pid"))).isTrue();
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(SambaDc.processGroupMembers(rootPid)).isEmpty();
        assertThat(Files.exists(dir)).isFalse();
        for (int port : new int[] {SambaDc.LDAP_PORT, SambaDc.LDAPS_PORT}) {
            assertThat(connects(port)).as("port %d closed after close()", port).isFalse();
        }
        System.out.printf("[SambaDcLifecycleTest] %d samba processes all gone after close()%n", processes.size());
    }

    @Test
    void refusesToStartWhenTheLdapsPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName(SambaDc.HOST), SambaDc.LDAPS_PORT));
            assertThatThrownBy(SambaDc::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port 636 on 127.0.0.1 is already in use")
                    .hasMessageContaining("stop the system samba/slapd");
        }
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                .filter(p -> p.getFileName().toString().startsWith("usher-samba-dc-"))).isEmpty();
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(SambaDc.HOST, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
