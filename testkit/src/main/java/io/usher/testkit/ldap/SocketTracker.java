package io.usher.testkit.ldap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ServerSocketFactory;

/**
 * A server socket factory that remembers each accepted client socket by the client's port, so that a fault
 * can close one connection (a real TCP drop) without touching the others. The in-memory server's
 * interceptors know a request's client port but not its socket.
 *
 * <p>Thread-safe.
 */
final class SocketTracker extends ServerSocketFactory {
    private final Map<Integer, Socket> byClientPort = new ConcurrentHashMap<>();

    /** Closes the connection whose client uses this port; false if there is none. */
    boolean close(int clientPort) {
        Socket s = byClientPort.remove(clientPort);
        if (s == null) {
            return false;
        }
        try {
            s.setSoLinger(true, 0); // reset, as a dropped connection looks to the client
            s.close();
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new Tracking();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        Tracking s = new Tracking();
        s.bind(new java.net.InetSocketAddress(port));
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        Tracking s = new Tracking();
        s.bind(new java.net.InetSocketAddress(port), backlog);
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        Tracking s = new Tracking();
        s.bind(new java.net.InetSocketAddress(address, port), backlog);
        return s;
    }

    private final class Tracking extends ServerSocket {
        Tracking() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = super.accept();
            byClientPort.values().removeIf(Socket::isClosed);
            byClientPort.put(s.getPort(), s);
            return s;
        }
    }
}
