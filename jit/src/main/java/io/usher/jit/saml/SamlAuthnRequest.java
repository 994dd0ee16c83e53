package io.usher.jit.saml;

import io.usher.core.ConfigException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnContextComparisonTypeEnumeration;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameIDPolicy;
import org.opensaml.saml.saml2.core.RequestedAuthnContext;

/**
 * An AuthnRequest this SP sends to start a login at the IdP, for the HTTP-Redirect binding ({@link #redirectUrl()},
 * the usual one) or the HTTP-POST binding ({@link #postValue()}). For websudo, {@link Builder#forceAuthn(boolean)}
 * asks the IdP to authenticate the person again instead of reusing its session.
 *
 * <p>The host stores {@link #id()} in the user's session and passes it to
 * {@link SamlResponseValidator#validate(String, String)} when the Response comes back: that binds the Response to
 * this browser and this request.
 *
 * <pre>{@code
 * SamlAuthnRequest request = SamlAuthnRequest.builder(config, "https://idp.example.com/sso").forceAuthn(true).build();
 * session.put("saml.request", request.id());
 * response.sendRedirect(request.redirectUrl());
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class SamlAuthnRequest {
    /** The HTTP-Redirect binding's signature algorithm URI (RSA-SHA256). */
    public static final String REDIRECT_SIG_ALG = SamlAlgorithms.RSA_SHA256;

    private final String id;
    private final Instant issueInstant;
    private final boolean forceAuthn;
    private final String xml;
    private final String postXml;
    private final String redirectUrl;
    private final String relayState;

    private SamlAuthnRequest(String id, Instant issueInstant, boolean forceAuthn, String xml, String postXml,
            String redirectUrl, String relayState) {
        this.id = id;
        this.issueInstant = issueInstant;
        this.forceAuthn = forceAuthn;
        this.xml = xml;
        this.postXml = postXml;
        this.redirectUrl = redirectUrl;
        this.relayState = relayState;
    }

    /** A request from the SP described by {@code config} to the IdP's single sign-on URL. */
    public static Builder builder(SamlConfig config, String idpSsoUrl) {
        return new Builder(config, idpSsoUrl);
    }

    /** The request's ID: what the Response's InResponseTo must be. */
    public String id() {
        return id;
    }

    public Instant issueInstant() {
        return issueInstant;
    }

    public boolean forceAuthn() {
        return forceAuthn;
    }

    /** The AuthnRequest XML (unsigned; the Redirect binding signs the query string instead). */
    public String xml() {
        return xml;
    }

    /** The URL to redirect the browser to (HTTP-Redirect binding: DEFLATE, base64, URL-encoded; signed if asked). */
    public String redirectUrl() {
        return redirectUrl;
    }

    /**
     * The {@code SAMLRequest} form value for the HTTP-POST binding: base64 of the XML, not deflated; with an
     * enveloped RSA-SHA256 signature when the request was built with {@link Builder#signWith(PrivateKey)}.
     */
    public String postValue() {
        return Base64.getEncoder().encodeToString(postXml.getBytes(StandardCharsets.UTF_8));
    }

    /** The RelayState sent along, or null. */
    public String relayState() {
        return relayState;
    }

    @Override
    public String toString() {
        return "SamlAuthnRequest[id=" + id + ", forceAuthn=" + forceAuthn + "]";
    }

    /** Builds a {@link SamlAuthnRequest}. Not thread-safe. */
    public static final class Builder {
        private final SamlConfig config;
        private final String idpSsoUrl;
        private boolean forceAuthn;
        private final List<String> authnContextClasses = new ArrayList<>();
        private String relayState;
        private PrivateKey signingKey;
        private String nameIdFormat;
        private SecureRandom random;

        private Builder(SamlConfig config, String idpSsoUrl) {
            this.config = Objects.requireNonNull(config, "config");
            Objects.requireNonNull(idpSsoUrl, "idpSsoUrl");
            try {
                URI uri = new URI(idpSsoUrl);
                if (!uri.isAbsolute() || uri.getHost() == null || uri.getFragment() != null) {
                    throw new ConfigException("idpSsoUrl", "must be an absolute URL without a fragment");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException("idpSsoUrl", "is not a valid URL");
            }
            this.idpSsoUrl = idpSsoUrl;
        }

        /** Asks the IdP to authenticate the person afresh, not from its session (websudo). */
        public Builder forceAuthn(boolean value) {
            forceAuthn = value;
            return this;
        }

        /** Asks for an authentication context class (e.g. MFA); may be called for several, compared exactly. */
        public Builder requestedAuthnContext(String classRef) {
            if (classRef == null || classRef.isBlank()) {
                throw new ConfigException("requestedAuthnContext", "must not be blank");
            }
            authnContextClasses.add(classRef);
            return this;
        }

        /** The RelayState to send with the request (at most 80 bytes, as the bindings specification says). */
        public Builder relayState(String value) {
            if (value != null && value.getBytes(StandardCharsets.UTF_8).length > 80) {
                throw new ConfigException("relayState", "must be at most 80 bytes");
            }
            relayState = value;
            return this;
        }

        /**
         * Signs with this SP key (RSA-SHA256): the Redirect query string as that binding specifies, and the POST
         * value's XML with an enveloped signature.
         */
        public Builder signWith(PrivateKey key) {
            Objects.requireNonNull(key, "signingKey");
            if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey)) {
                throw new ConfigException("signingKey", "must be an RSA private key with its CRT parameters");
            }
            signingKey = key;
            return this;
        }

        /** The NameID format to ask for (default: none, the IdP decides). */
        public Builder nameIdFormat(String value) {
            nameIdFormat = Objects.requireNonNull(value, "nameIdFormat");
            return this;
        }

        /** The randomness for the request ID (default a SecureRandom). */
        public Builder random(SecureRandom value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        public SamlAuthnRequest build() {
            byte[] idBytes = new byte[20];
            (random == null ? new SecureRandom() : random).nextBytes(idBytes);
            String id = "_" + HexFormat.of().formatHex(idBytes);
            Instant now = config.clock().instant();

            AuthnRequest request = OpenSaml.build(AuthnRequest.DEFAULT_ELEMENT_NAME);
            request.setID(id);
            request.setVersion(SAMLVersion.VERSION_20);
            request.setIssueInstant(now);
            request.setDestination(idpSsoUrl);
            request.setAssertionConsumerServiceURL(config.acsUrl());
            request.setProtocolBinding(SAMLConstants.SAML2_POST_BINDING_URI);
            if (forceAuthn) {
                request.setForceAuthn(Boolean.TRUE);
            }
            Issuer issuer = OpenSaml.build(Issuer.DEFAULT_ELEMENT_NAME);
            issuer.setValue(config.spEntityId());
            request.setIssuer(issuer);
            NameIDPolicy policy = OpenSaml.build(NameIDPolicy.DEFAULT_ELEMENT_NAME);
            policy.setAllowCreate(Boolean.TRUE);
            if (nameIdFormat != null) {
                policy.setFormat(nameIdFormat);
            }
            request.setNameIDPolicy(policy);
            if (!authnContextClasses.isEmpty()) {
                RequestedAuthnContext context = OpenSaml.build(RequestedAuthnContext.DEFAULT_ELEMENT_NAME);
                context.setComparison(AuthnContextComparisonTypeEnumeration.EXACT);
                for (String classRef : authnContextClasses) {
                    AuthnContextClassRef ref = OpenSaml.build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
                    ref.setURI(classRef);
                    context.getAuthnContextClassRefs().add(ref);
                }
                request.setRequestedAuthnContext(context);
            }
            String xml = OpenSaml.serialize(OpenSaml.marshall(request));
            String postXml = signingKey == null ? xml : signedXml(request);

            StringBuilder query = new StringBuilder("SAMLRequest=").append(encode(
                    Base64.getEncoder().encodeToString(deflate(xml.getBytes(StandardCharsets.UTF_8)))));
            if (relayState != null) {
                query.append("&RelayState=").append(encode(relayState));
            }
            if (signingKey != null) {
                query.append("&SigAlg=").append(encode(REDIRECT_SIG_ALG));
                try {
                    java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
                    signer.initSign(signingKey);
                    signer.update(query.toString().getBytes(StandardCharsets.UTF_8));
                    query.append("&Signature=").append(encode(Base64.getEncoder().encodeToString(signer.sign())));
                } catch (GeneralSecurityException e) {
                    throw new ConfigException("signingKey", "could not sign with the key (" + e.getClass()
                            .getSimpleName() + ")");
                }
            }
            String url = idpSsoUrl + (idpSsoUrl.contains("?") ? "&" : "?") + query;
            return new SamlAuthnRequest(id, now, forceAuthn, xml, postXml, url, relayState);
        }

        private String signedXml(AuthnRequest request) {
            try {
                java.security.interfaces.RSAPrivateCrtKey key = (java.security.interfaces.RSAPrivateCrtKey) signingKey;
                java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("RSA").generatePublic(
                        new java.security.spec.RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
                org.opensaml.xmlsec.signature.Signature signature =
                        OpenSaml.build(org.opensaml.xmlsec.signature.Signature.DEFAULT_ELEMENT_NAME);
                signature.setSigningCredential(new org.opensaml.security.credential.BasicCredential(publicKey, key));
                signature.setSignatureAlgorithm(SamlAlgorithms.RSA_SHA256);
                signature.setCanonicalizationAlgorithm(SamlAlgorithms.EXC_C14N);
                request.setSignature(signature);
                if (signature.getContentReferences().isEmpty()) {
                    signature.getContentReferences().add(new org.opensaml.saml.common.SAMLObjectContentReference(
                            request));
                }
                ((org.opensaml.saml.common.SAMLObjectContentReference) signature.getContentReferences().get(0))
                        .setDigestAlgorithm(SamlAlgorithms.DIGEST_SHA256);
                request.releaseDOM();
                org.w3c.dom.Element element = OpenSaml.marshall(request);
                org.opensaml.xmlsec.signature.support.Signer.signObject(signature);
                return OpenSaml.serialize(element);
            } catch (GeneralSecurityException | org.opensaml.xmlsec.signature.support.SignatureException e) {
                throw new ConfigException("signingKey", "could not sign with the key (" + e.getClass()
                        .getSimpleName() + ")");
            }
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        private static byte[] deflate(byte[] data) {
            Deflater deflater = new Deflater(Deflater.DEFLATED, true);
            try {
                deflater.setInput(data);
                deflater.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                while (!deflater.finished()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
                return out.toByteArray();
            } finally {
                deflater.end();
            }
        }
    }
}
