package io.usher.testkit.saml;

import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.w3c.dom.Element;

/**
 * A SAML 2.0 identity provider over an {@link InMemoryDirectory}: it issues real Responses for the directory's
 * users, signed with its own RSA-2048 key (RSA-SHA256 by default), optionally encrypted for the SP, with the
 * user's attributes and groups, and with every knob a test needs to make one that a correct SP must refuse
 * (unsigned, wrong audience, expired, wrong InResponseTo, SHA-1, another signer, a failed Status...). Combine with
 * {@link SamlAttacks} for structural attacks on a valid Response.
 *
 * <pre>{@code
 * SamlIdp idp = SamlIdp.builder(directory).sp("https://sp.test", "https://sp.test/acs").clock(clock).build();
 * String post = idp.response("jdoe").inResponseTo(requestId).build().base64();   // what the browser POSTs
 * }</pre>
 *
 * <p>Attributes it sends for a user: {@code username} (login name), {@code email} (every address),
 * {@code givenName}, {@code familyName}, {@code displayName}, {@code groups} (names of the groups the user is a
 * direct member of) and each of the user's own directory attributes under its own name. The NameID is the user's
 * directory id, format persistent, unless the response says otherwise.
 *
 * <p>It also plays the IdP's half of SP-initiated SSO: {@link #answer(String, String)} reads an HTTP-Redirect
 * AuthnRequest URL and prefills the Response (InResponseTo, ACS); it remembers when each user last authenticated,
 * re-authenticating on ForceAuthn unless {@link Builder#ignoreForceAuthn(boolean)} makes it the kind of IdP that
 * silently reuses its session.
 *
 * <p>Thread-safe.
 */
public final class SamlIdp {
    /** NameID formats. */
    public static final String PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public static final String EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public static final String UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

    /** How a Response is signed. */
    public enum Signing { NONE, ASSERTION, RESPONSE, BOTH }

    /** Signature algorithms the IdP can use; SHA-1 for legacy and refusal tests. */
    public enum Algorithm {
        RSA_SHA256("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
        RSA_SHA1("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1"),
        ECDSA_SHA256("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256");

        final String signature;
        final String digest;

        Algorithm(String signature, String digest) {
            this.signature = signature;
            this.digest = digest;
        }
    }

    /** Key transport for EncryptedAssertion; RSA 1.5 only to show that an SP refuses it. */
    public enum KeyTransport {
        RSA_OAEP("http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"),
        RSA_1_5("http://www.w3.org/2001/04/xmlenc#rsa-1_5");

        final String uri;

        KeyTransport(String uri) {
            this.uri = uri;
        }
    }

    /** Content encryption for EncryptedAssertion. */
    public enum ContentEncryption {
        AES256_GCM("http://www.w3.org/2009/xmlenc11#aes256-gcm"),
        AES128_CBC("http://www.w3.org/2001/04/xmlenc#aes128-cbc"),
        TRIPLEDES_CBC("http://www.w3.org/2001/04/xmlenc#tripledes-cbc");

        final String uri;

        ContentEncryption(String uri) {
            this.uri = uri;
        }
    }

    final InMemoryDirectory directory;
    final String entityId;
    final String ssoUrl;
    final String spEntityId;
    final String acsUrl;
    final Clock clock;
    final TestKeys.KeyAndCertificate signingKey;
    final boolean ignoreForceAuthn;
    final SecureRandom random;
    private final Map<String, Instant> lastAuthn = new ConcurrentHashMap<>();

    private SamlIdp(Builder b) {
        directory = b.directory;
        entityId = b.entityId;
        ssoUrl = b.ssoUrl == null ? entityId.replaceAll("/+$", "") + "/sso" : b.ssoUrl;
        spEntityId = b.spEntityId;
        acsUrl = b.acsUrl;
        clock = b.clock == null ? Clock.systemUTC() : b.clock;
        signingKey = b.signingKey == null ? TestKeys.rsa("usher-test-idp", 2048) : b.signingKey;
        ignoreForceAuthn = b.ignoreForceAuthn;
        random = b.random == null ? new SecureRandom() : b.random;
        SamlXml.ensureInitialized();
    }

    public static Builder builder(InMemoryDirectory directory) {
        return new Builder(directory);
    }

    public String entityId() {
        return entityId;
    }

    /** Where AuthnRequests go (informational: this IdP answers them through {@link #answer}). */
    public String ssoUrl() {
        return ssoUrl;
    }

    /** This IdP's SAML metadata (entity ID, SSO URL for Redirect and POST, signing certificate). */
    public String metadata() {
        return SamlXml.metadata(this);
    }

    /** The certificate an SP trusts for this IdP. */
    public X509Certificate certificate() {
        return signingKey.certificate();
    }

    public Clock clock() {
        return clock;
    }

    /** A Response for the directory user with this login name; refused for an unknown or disabled user. */
    public ResponseSpec response(String loginName) {
        DirectoryUser user = directory.userByLoginName(loginName)
                .orElseThrow(() -> new IllegalArgumentException("no user with that login name in the directory"));
        if (!user.enabled()) {
            throw new IllegalStateException("the IdP does not sign in a disabled user");
        }
        return new ResponseSpec(user);
    }

    /** What an HTTP-Redirect AuthnRequest asked for. */
    public record AuthnRequestSeen(String id, String issuer, String acsUrl, boolean forceAuthn, String relayState) {
    }

    /** Reads an AuthnRequest sent by the HTTP-Redirect binding (the URL the SP redirected the browser to). */
    public AuthnRequestSeen readRedirect(String redirectUrl) {
        Map<String, String> query = query(URI.create(redirectUrl).getRawQuery());
        String encoded = query.get("SAMLRequest");
        if (encoded == null) {
            throw new IllegalArgumentException("the URL carries no SAMLRequest");
        }
        byte[] deflated = Base64.getDecoder().decode(encoded);
        Element request = SamlXml.parse(inflate(deflated)).getDocumentElement();
        if (!"AuthnRequest".equals(request.getLocalName())) {
            throw new IllegalArgumentException("the SAMLRequest is not an AuthnRequest");
        }
        Element issuer = SamlXml.firstChild(request, SamlXml.SAML_NS, "Issuer");
        return new AuthnRequestSeen(request.getAttribute("ID"), issuer == null ? null : issuer.getTextContent(),
                request.hasAttribute("AssertionConsumerServiceURL")
                        ? request.getAttribute("AssertionConsumerServiceURL") : null,
                "true".equals(request.getAttribute("ForceAuthn")) || "1".equals(request.getAttribute("ForceAuthn")),
                query.get("RelayState"));
    }

    /**
     * Answers an AuthnRequest for this user: a Response prefilled with InResponseTo, Destination and Recipient
     * from the request. The AuthnInstant is now when the user has no session at this IdP yet or the request says
     * ForceAuthn (unless this IdP ignores ForceAuthn), else the instant of the user's last authentication.
     */
    public ResponseSpec answer(String redirectUrl, String loginName) {
        AuthnRequestSeen seen = readRedirect(redirectUrl);
        ResponseSpec spec = response(loginName).inResponseTo(seen.id());
        if (seen.acsUrl() != null) {
            spec.destination(seen.acsUrl()).recipient(seen.acsUrl());
        }
        Instant now = clock.instant();
        Instant previous = lastAuthn.get(loginName);
        Instant authn = previous != null && (!seen.forceAuthn() || ignoreForceAuthn) ? previous : now;
        lastAuthn.put(loginName, authn);
        return spec.authnInstant(authn);
    }

    /** Forgets every user's IdP session (the next answer authenticates afresh). */
    public void logoutAll() {
        lastAuthn.clear();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] inflate(byte[] deflated) {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buffer, 0, n);
                if (out.size() > 1 << 20) {
                    throw new IllegalArgumentException("the SAMLRequest inflates to more than 1 MiB");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("the SAMLRequest is not DEFLATE data", e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    String newId() {
        byte[] bytes = new byte[16];
        synchronized (random) {
            random.nextBytes(bytes);
        }
        return "_" + HexFormat.of().formatHex(bytes);
    }

    /** A Response that has been issued: its XML as sent, and the IDs in it. */
    public record IssuedResponse(String xml, String responseId, String assertionId) {
        public IssuedResponse {
            Objects.requireNonNull(xml, "xml");
        }

        /** The value the browser POSTs as {@code SAMLResponse}. */
        public String base64() {
            return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * One Response being prepared: defaults make a valid one (signed assertion, RSA-SHA256, 5 minutes valid,
     * audience and ACS from the IdP's SP settings); each setter changes one thing. Not thread-safe.
     */
    public final class ResponseSpec {
        final DirectoryUser user;
        String nameId;
        String nameIdFormat = PERSISTENT;
        String issuer = entityId;
        String assertionIssuer;
        String destination = acsUrl;
        String recipient = acsUrl;
        List<String> audiences = spEntityId == null ? List.of() : List.of(spEntityId);
        String inResponseTo;
        Instant issueInstant;
        Instant authnInstant;
        Duration validity = Duration.ofMinutes(5);
        Instant notBefore;
        Duration conditionsValidity;
        boolean omitConditions;
        boolean omitAuthnStatement;
        boolean bearerNotBefore;
        boolean omitBearerNotOnOrAfter;
        String confirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
        String statusCode = "urn:oasis:names:tc:SAML:2.0:status:Success";
        Signing signing = Signing.ASSERTION;
        Algorithm algorithm = Algorithm.RSA_SHA256;
        TestKeys.KeyAndCertificate signer = signingKey;
        X509Certificate encryptFor;
        KeyTransport keyTransport = KeyTransport.RSA_OAEP;
        ContentEncryption contentEncryption = ContentEncryption.AES256_GCM;
        final Map<String, List<String>> attributes = new LinkedHashMap<>();
        boolean directoryAttributes = true;
        String assertionId;
        String responseId;
        String sessionIndex;

        ResponseSpec(DirectoryUser user) {
            this.user = user;
            this.nameId = user.id();
        }

        /** The NameID value (default: the user's directory id). */
        public ResponseSpec nameId(String value) {
            nameId = value;
            return this;
        }

        /** The NameID format (default persistent). */
        public ResponseSpec nameIdFormat(String value) {
            nameIdFormat = value;
            return this;
        }

        /** The Issuer of Response and Assertion (default the IdP's entity ID); null omits the Response one. */
        public ResponseSpec issuer(String value) {
            issuer = value;
            return this;
        }

        /** The Assertion's Issuer only (default: as {@link #issuer}). */
        public ResponseSpec assertionIssuer(String value) {
            assertionIssuer = value;
            return this;
        }

        /** The Response Destination (default the SP's ACS URL); null omits it. */
        public ResponseSpec destination(String value) {
            destination = value;
            return this;
        }

        /** The bearer SubjectConfirmationData Recipient (default the SP's ACS URL); null omits it. */
        public ResponseSpec recipient(String value) {
            recipient = value;
            return this;
        }

        /** The Audience list (default the SP's entity ID); none leaves an empty AudienceRestriction out. */
        public ResponseSpec audiences(String... values) {
            audiences = List.of(values);
            return this;
        }

        /** The request this Response answers (Response and SubjectConfirmationData); null = unsolicited. */
        public ResponseSpec inResponseTo(String value) {
            inResponseTo = value;
            return this;
        }

        /** When the Response and Assertion were issued (default: the IdP clock's now). */
        public ResponseSpec issueInstant(Instant value) {
            issueInstant = value;
            return this;
        }

        /** When the user authenticated (default: the issue instant). */
        public ResponseSpec authnInstant(Instant value) {
            authnInstant = value;
            return this;
        }

        /** How long the Assertion and its bearer confirmation are valid after issue (default 5 minutes). */
        public ResponseSpec validity(Duration value) {
            validity = value;
            return this;
        }

        /** How long the Conditions are valid after issue, when it should differ from {@link #validity}. */
        public ResponseSpec conditionsValidity(Duration value) {
            conditionsValidity = value;
            return this;
        }

        /** Conditions NotBefore (default: the issue instant). */
        public ResponseSpec notBefore(Instant value) {
            notBefore = value;
            return this;
        }

        /** Leaves out Conditions entirely. */
        public ResponseSpec withoutConditions() {
            omitConditions = true;
            return this;
        }

        /** Leaves out the AuthnStatement. */
        public ResponseSpec withoutAuthnStatement() {
            omitAuthnStatement = true;
            return this;
        }

        /** Puts a NotBefore on the bearer SubjectConfirmationData (forbidden by the Web SSO profile). */
        public ResponseSpec bearerNotBefore() {
            bearerNotBefore = true;
            return this;
        }

        /** Leaves NotOnOrAfter off the bearer SubjectConfirmationData. */
        public ResponseSpec withoutBearerNotOnOrAfter() {
            omitBearerNotOnOrAfter = true;
            return this;
        }

        /** The SubjectConfirmation Method (default bearer). */
        public ResponseSpec confirmationMethod(String value) {
            confirmationMethod = value;
            return this;
        }

        /** The top-level StatusCode (default Success). */
        public ResponseSpec statusCode(String value) {
            statusCode = value;
            return this;
        }

        /** What gets signed (default the Assertion). */
        public ResponseSpec signing(Signing value) {
            signing = Objects.requireNonNull(value, "signing");
            return this;
        }

        /** The signature algorithm (default RSA-SHA256 with a SHA-256 digest). */
        public ResponseSpec algorithm(Algorithm value) {
            algorithm = Objects.requireNonNull(value, "algorithm");
            return this;
        }

        /** Signs with another key than the IdP's (wrong certificate; or a 1024-bit key; or EC). */
        public ResponseSpec signedBy(TestKeys.KeyAndCertificate key) {
            signer = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Encrypts the Assertion for the SP whose encryption certificate this is. */
        public ResponseSpec encryptFor(X509Certificate spCertificate) {
            encryptFor = Objects.requireNonNull(spCertificate, "spCertificate");
            return this;
        }

        public ResponseSpec keyTransport(KeyTransport value) {
            keyTransport = Objects.requireNonNull(value, "keyTransport");
            return this;
        }

        public ResponseSpec contentEncryption(ContentEncryption value) {
            contentEncryption = Objects.requireNonNull(value, "contentEncryption");
            return this;
        }

        /** Adds (or replaces) an attribute. */
        public ResponseSpec attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }

        /** Sends only the attributes set with {@link #attribute}, none from the directory. */
        public ResponseSpec withoutDirectoryAttributes() {
            directoryAttributes = false;
            return this;
        }

        /** A fixed Assertion ID (default random), e.g. to show that a second Assertion with it is a replay. */
        public ResponseSpec assertionId(String value) {
            assertionId = value;
            return this;
        }

        /** A fixed Response ID (default random). */
        public ResponseSpec responseId(String value) {
            responseId = value;
            return this;
        }

        /** Issues the Response. */
        public IssuedResponse build() {
            return SamlXml.issue(SamlIdp.this, this);
        }

        Map<String, List<String>> allAttributes() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            if (directoryAttributes) {
                out.put("username", List.of(user.loginName()));
                if (!user.emails().isEmpty()) {
                    out.put("email", user.emails());
                }
                Optional.ofNullable(user.givenName()).ifPresent(v -> out.put("givenName", List.of(v)));
                Optional.ofNullable(user.familyName()).ifPresent(v -> out.put("familyName", List.of(v)));
                Optional.ofNullable(user.displayName()).ifPresent(v -> out.put("displayName", List.of(v)));
                TreeSet<String> groups = new TreeSet<>();
                for (String groupId : directory.groupsOf(MemberKind.USER, user.id())) {
                    directory.group(groupId).ifPresent(g -> groups.add(g.name()));
                }
                if (!groups.isEmpty()) {
                    out.put("groups", new ArrayList<>(groups));
                }
                out.putAll(user.attributes());
            }
            out.putAll(attributes);
            return out;
        }
    }

    /** Builds a {@link SamlIdp}. Not thread-safe. */
    public static final class Builder {
        private final InMemoryDirectory directory;
        private String entityId = "https://idp.usher.test/saml";
        private String ssoUrl;
        private String spEntityId;
        private String acsUrl;
        private Clock clock;
        private TestKeys.KeyAndCertificate signingKey;
        private boolean ignoreForceAuthn;
        private SecureRandom random;

        private Builder(InMemoryDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The IdP's entity ID (default {@code https://idp.usher.test/saml}). */
        public Builder entityId(String value) {
            entityId = Objects.requireNonNull(value, "entityId");
            return this;
        }

        public Builder ssoUrl(String value) {
            ssoUrl = Objects.requireNonNull(value, "ssoUrl");
            return this;
        }

        /** The SP this IdP talks to by default: its entity ID (the Audience) and ACS URL. */
        public Builder sp(String entityIdOfSp, String acs) {
            spEntityId = Objects.requireNonNull(entityIdOfSp, "spEntityId");
            acsUrl = Objects.requireNonNull(acs, "acsUrl");
            return this;
        }

        /** The IdP's clock for IssueInstant and validity (default the system clock). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The signing key (default a fresh RSA-2048 key with a self-signed certificate). */
        public Builder signingKey(TestKeys.KeyAndCertificate value) {
            signingKey = Objects.requireNonNull(value, "signingKey");
            return this;
        }

        /** Makes the IdP reuse a user's session even when an AuthnRequest says ForceAuthn (a real-world bug). */
        public Builder ignoreForceAuthn(boolean value) {
            ignoreForceAuthn = value;
            return this;
        }

        /** The randomness for IDs (default a SecureRandom). */
        public Builder random(SecureRandom value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        public SamlIdp build() {
            return new SamlIdp(this);
        }
    }
}
