package io.usher.testkit.ldap;

import io.usher.testkit.InMemoryDirectory;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link LdapDirectoryServer} for a test class and stops it after the class; tests reach it with
 * {@link #server()} or by declaring an {@link LdapDirectoryServer} parameter.
 *
 * <pre>{@code
 * class MyConnectorTest {
 *     static final InMemoryDirectory DIRECTORY = DirectoryGenerator.builder().seed(7).build().generate();
 *
 *     @RegisterExtension
 *     static final LdapDirectoryExtension LDAP = LdapDirectoryExtension.activeDirectory(() -> DIRECTORY);
 *
 *     @Test
 *     void reads(LdapDirectoryServer server) { ... server.url() ... LDAP.server().directory() ... }
 * }
 * }</pre>
 *
 * <p>Register it in a {@code static} field: the server lives for the class (an instance field would be
 * rejected, as {@code BeforeAll} needs it). The supplier is called once, in {@code beforeAll}.
 *
 * <p>Thread-safe: the server reference is volatile; the server itself is thread-safe.
 */
public final class LdapDirectoryExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final LdapDirectoryServer.Flavour flavour;
    private final Supplier<InMemoryDirectory> directory;
    private volatile LdapDirectoryServer server;

    private LdapDirectoryExtension(LdapDirectoryServer.Flavour flavour, Supplier<InMemoryDirectory> directory) {
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** An OpenLDAP-flavoured server over the directory the supplier gives. */
    public static LdapDirectoryExtension openLdap(Supplier<InMemoryDirectory> directory) {
        return new LdapDirectoryExtension(LdapDirectoryServer.Flavour.OPENLDAP, directory);
    }

    /** An Active-Directory-flavoured server over the directory the supplier gives. */
    public static LdapDirectoryExtension activeDirectory(Supplier<InMemoryDirectory> directory) {
        return new LdapDirectoryExtension(LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY, directory);
    }

    /** An extension of either flavour. */
    public static LdapDirectoryExtension of(LdapDirectoryServer.Flavour flavour,
            Supplier<InMemoryDirectory> directory) {
        return new LdapDirectoryExtension(flavour, directory);
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException outside the test class's lifetime (before {@code beforeAll} or after
     *     {@code afterAll}), or if the extension is not registered in a static field
     */
    public LdapDirectoryServer server() {
        LdapDirectoryServer s = server;
        if (s == null) {
            throw new IllegalStateException("the LDAP server is not running: register LdapDirectoryExtension with "
                    + "@RegisterExtension in a static field, and use it inside the test class");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        InMemoryDirectory dir = Objects.requireNonNull(directory.get(), "the directory supplier returned null");
        server = LdapDirectoryServer.start(dir, flavour);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LdapDirectoryServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LdapDirectoryServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
