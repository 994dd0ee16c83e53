package io.usher.jit.saml;

import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.internal.CheckRecorder;
import io.usher.jit.internal.CheckRecorder.Step;
import io.usher.jit.saml.SamlValidationException.Reason;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Condition;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.OneTimeUse;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.credential.BasicCredential;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.DecryptionParameters;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
import org.opensaml.xmlsec.keyinfo.impl.StaticKeyInfoCredentialResolver;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.SignatureValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * One validation of one Response: the steps {@link SamlResponseValidator} documents, in that order. Not
 * thread-safe; made per call. Every failure is a {@link SamlValidationException} whose message names the element
 * and the check, never a value from the Response.
 *
 * <p>Each check is announced to a {@link CheckRecorder} before it is made ({@link #PLAN} lists them in order), so a
 * dry run ({@link #trace}) reports every check from this very code. A dry run looks at the replay cache instead of
 * recording in it, and may be told that the expected request is unknown (its InResponseTo checks are then not
 * made, and say so).
 */
final class ResponseCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SamlResponseValidator.class);
    private static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final String XMLENC_NS = "http://www.w3.org/2001/04/xmlenc#";
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";
    private static final String BEARER = SubjectConfirmation.METHOD_BEARER;
    /** Deeper than any real Response (about 10 levels); deeper trees are refused before recursive code sees them. */
    private static final int MAX_DEPTH = 64;

    /** The checks, in the order they are made. */
    static final List<Step> PLAN = List.of(
            new Step("decode", "the SAMLResponse value is present, within the size limit and base64"),
            new Step("parse", "well-formed XML without a DOCTYPE, nested at most " + MAX_DEPTH
                    + " levels, whose root is a SAML 2.0 protocol Response"),
            new Step("unique-ids", "no two elements carry the same ID"),
            new Step("schema", "the Response follows the SAML 2.0 schema and its Version is 2.0"),
            new Step("status", "the top-level StatusCode is Success"),
            new Step("assertion-count", "exactly one Assertion or EncryptedAssertion as a direct child"),
            new Step("wrapping", "no Assertion, EncryptedAssertion or Response anywhere else"),
            new Step("signature-placement", "Signatures only on the Response and its Assertion, at most one each"),
            new Step("response-issuer", "the Response Issuer, when present, is the configured IdP"),
            new Step("response-signature", "the Response signature follows the SAML profile, uses allowed "
                    + "algorithms and verifies with a trusted certificate"),
            new Step("decryption", "the EncryptedAssertion uses allowed algorithms and decrypts with this SP's key "
                    + "to one well-formed Assertion"),
            new Step("assertion-signature", "the Assertion signature follows the SAML profile, uses allowed "
                    + "algorithms and verifies with a trusted certificate"),
            new Step("signed", "the Assertion or the Response that holds it is signed"),
            new Step("destination", "the Response Destination is this SP's ACS URL (required when signed)"),
            new Step("in-response-to", "the Response answers the expected request (or none, when unsolicited "
                    + "Responses are allowed)"),
            new Step("assertion", "the Assertion Version is 2.0 and it has an ID"),
            new Step("assertion-issuer", "the Assertion Issuer is the configured IdP"),
            new Step("issue-instant", "the Assertion IssueInstant is present and not in the future"),
            new Step("subject", "the Subject has a NameID (whole, not split by comments)"),
            new Step("bearer", "a bearer SubjectConfirmation with NotOnOrAfter ahead, this SP's ACS URL as "
                    + "Recipient, no NotBefore, answering the expected request"),
            new Step("conditions", "Conditions are present and their NotBefore / NotOnOrAfter window holds now"),
            new Step("audience", "every AudienceRestriction names this SP's entity ID"),
            new Step("conditions-understood", "no condition this SP does not understand"),
            new Step("authn-statement", "an AuthnStatement with an AuthnInstant not in the future and an open "
                    + "session"),
            new Step("request-single-use", "the request this Response answers was not answered before"),
            new Step("replay", "this Assertion ID was not accepted before"));

    private final SamlConfig config;
    private final String expectedInResponseTo;
    private final boolean requestUnknown;
    private final Instant now;
    private final Duration skew;
    private final CheckRecorder trace;

    ResponseCheck(SamlConfig config, String expectedInResponseTo) {
        this(config, expectedInResponseTo, false, CheckRecorder.OFF);
    }

    private ResponseCheck(SamlConfig config, String expectedInResponseTo, boolean requestUnknown,
                          CheckRecorder trace) {
        this.config = config;
        this.expectedInResponseTo = expectedInResponseTo;
        this.requestUnknown = requestUnknown;
        this.now = config.clock().instant();
        this.skew = config.clockSkew();
        this.trace = trace;
    }

    /**
     * A dry run: every check as {@link #run} makes it, recorded; the replay cache is looked at, never written.
     * With {@code requestUnknown}, InResponseTo is not checked (the caller does not know which request the
     * Response answers).
     */
    static ValidationTrace trace(SamlConfig config, String samlResponseBase64, String expectedInResponseTo,
                                 boolean requestUnknown) {
        CheckRecorder recorder = CheckRecorder.of(PLAN);
        VerifiedLogin login = null;
        try {
            login = new ResponseCheck(config, requestUnknown ? null : expectedInResponseTo, requestUnknown, recorder)
                    .run(samlResponseBase64);
        } catch (SamlValidationException e) {
            String prefix = e.reason() + ": ";
            String message = e.getMessage();
            recorder.failed(e.reason().name(), message.startsWith(prefix) ? message.substring(prefix.length())
                    : message);
        }
        return recorder.finish(VerifiedLogin.Protocol.SAML, login);
    }

    private static SamlValidationException fail(Reason reason, String message) {
        return new SamlValidationException(reason, message);
    }

    VerifiedLogin run(String samlResponseBase64) {
        try {
            return check(samlResponseBase64);
        } catch (SamlValidationException e) {
            LOG.debug("SAML Response refused: {}", e.reason());
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // OpenSAML or the JDK's XML stack failed on input it should have refused cleanly: still a refusal
            LOG.debug("SAML Response refused: {} while reading it", e.getClass().getName());
            throw fail(Reason.MALFORMED_XML, "the Response could not be read");
        }
    }

    private VerifiedLogin check(String samlResponseBase64) {
        trace.at("decode");
        byte[] xml = decode(samlResponseBase64);
        trace.at("parse");
        Document doc;
        try {
            doc = OpenSaml.parse(xml);
        } catch (OpenSaml.ParseFailure e) {
            throw e.doctype ? fail(Reason.DOCTYPE_FORBIDDEN, "the XML carries a DOCTYPE; DTDs are refused")
                    : fail(Reason.MALFORMED_XML, "the value is not well-formed XML");
        }
        Element root = doc.getDocumentElement();
        if (!SAMLConstants.SAML20P_NS.equals(root.getNamespaceURI()) || !"Response".equals(root.getLocalName())) {
            throw fail(Reason.NOT_A_SAML2_RESPONSE, "the root element is not a SAML 2.0 protocol Response");
        }
        Census census = Census.of(root);
        if (census.tooDeep) {
            throw fail(Reason.MALFORMED_XML, "the XML nests deeper than " + MAX_DEPTH + " levels");
        }
        trace.at("unique-ids");
        if (census.duplicateId) {
            throw fail(Reason.DUPLICATE_ID, "two elements carry the same ID");
        }
        trace.at("schema");
        Response response;
        try {
            XMLObject object = OpenSaml.unmarshall(root);
            if (!(object instanceof Response)) {
                throw fail(Reason.NOT_A_SAML2_RESPONSE, "the root element is not a SAML 2.0 protocol Response");
            }
            response = (Response) object;
        } catch (org.opensaml.core.xml.io.UnmarshallingException e) {
            throw fail(Reason.MALFORMED_XML, "the Response does not follow the SAML 2.0 schema");
        }
        if (response.getVersion() == null || !SAMLVersion.VERSION_20.equals(response.getVersion())) {
            throw fail(Reason.NOT_A_SAML2_RESPONSE, "the Response Version is not 2.0");
        }
        trace.at("status");
        checkStatus(response);

        trace.at("assertion-count");
        int direct = response.getAssertions().size() + response.getEncryptedAssertions().size();
        if (direct != 1) {
            throw fail(Reason.ASSERTION_COUNT, "the Response must hold exactly one Assertion or "
                    + "EncryptedAssertion as a direct child; it holds " + direct);
        }
        boolean encrypted = response.getEncryptedAssertions().size() == 1;
        trace.at("wrapping");
        if (census.responses != 1 || census.assertions != (encrypted ? 0 : 1)
                || census.encryptedAssertions != (encrypted ? 1 : 0)) {
            throw fail(Reason.WRAPPED_CONTENT, "an Assertion or Response appears outside its place in the Response");
        }
        Element directAssertionElement = encrypted ? response.getEncryptedAssertions().get(0).getDOM()
                : response.getAssertions().get(0).getDOM();
        trace.at("signature-placement");
        checkSignaturePlacement(census, root, directAssertionElement);

        Issuer responseIssuer = response.getIssuer();
        if (responseIssuer != null) {
            trace.at("response-issuer");
            checkIssuer(responseIssuer, "Response");
        } else {
            trace.notApplicable("response-issuer", "the Response has no Issuer (optional there)");
        }
        boolean responseSigned = response.getSignature() != null;
        if (responseSigned) {
            trace.at("response-signature");
            verifySignature(response, "Response");
        } else {
            trace.notApplicable("response-signature", "the Response is not signed");
        }

        Assertion assertion;
        if (encrypted) {
            trace.at("decryption");
            assertion = decrypt(response.getEncryptedAssertions().get(0));
        } else {
            trace.notApplicable("decryption", "the Assertion is not encrypted");
            assertion = response.getAssertions().get(0);
        }
        boolean assertionSigned = assertion.getSignature() != null;
        if (assertionSigned) {
            trace.at("assertion-signature");
            verifySignature(assertion, "Assertion");
        } else {
            trace.notApplicable("assertion-signature", "the Assertion is not signed");
        }
        trace.at("signed");
        if (!assertionSigned && !responseSigned) {
            throw fail(Reason.UNSIGNED, "neither the Assertion nor the Response is signed");
        }

        trace.at("destination");
        String destination = response.getDestination();
        if (destination == null ? responseSigned : !destination.equals(config.acsUrl())) {
            throw fail(Reason.DESTINATION_MISMATCH, destination == null
                    ? "the signed Response has no Destination"
                    : "the Response Destination is not this SP's ACS URL");
        }
        if (requestUnknown) {
            trace.notChecked("in-response-to", "no request ID was given, so InResponseTo (of the Response and the "
                    + "bearer confirmation) is not checked");
        } else {
            trace.at("in-response-to");
            checkInResponseTo(response.getInResponseTo(), "Response");
        }
        return checkAssertion(assertion);
    }

    // ---- decoding ---------------------------------------------------------------------------------------------

    private byte[] decode(String value) {
        if (value == null || value.isEmpty()) {
            throw fail(Reason.MALFORMED_BASE64, "no SAMLResponse value");
        }
        if (value.length() > config.maxResponseSize()) {
            throw fail(Reason.TOO_LARGE, "the SAMLResponse value is longer than " + config.maxResponseSize()
                    + " characters");
        }
        StringBuilder compact = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\r' && c != '\n' && c != '\t') {
                compact.append(c);
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED_BASE64, "the SAMLResponse value is not base64");
        }
        if (bytes.length == 0) {
            throw fail(Reason.MALFORMED_BASE64, "the SAMLResponse value decodes to nothing");
        }
        return bytes;
    }

    // ---- structure --------------------------------------------------------------------------------------------

    /** Counts of the elements that matter, and the duplicate-ID verdict, from one walk of a DOM tree. */
    private static final class Census {
        int responses;
        int assertions;
        int encryptedAssertions;
        final List<Element> signatures = new ArrayList<>();
        boolean duplicateId;
        boolean tooDeep;

        static Census of(Element top) {
            Census c = new Census();
            Set<String> ids = new HashSet<>();
            // iterative pre-order walk: deep nesting cannot overflow the stack
            Node node = top;
            while (node != null) {
                if (node.getNodeType() == Node.ELEMENT_NODE) {
                    Element e = (Element) node;
                    if (!c.tooDeep && depth(e, top) > MAX_DEPTH) {
                        c.tooDeep = true;
                    }
                    String ns = e.getNamespaceURI();
                    String local = e.getLocalName();
                    if (SAMLConstants.SAML20P_NS.equals(ns) && "Response".equals(local)) {
                        c.responses++;
                    } else if (SAMLConstants.SAML20_NS.equals(ns) && "Assertion".equals(local)) {
                        c.assertions++;
                    } else if (SAMLConstants.SAML20_NS.equals(ns) && "EncryptedAssertion".equals(local)) {
                        c.encryptedAssertions++;
                    } else if (DSIG_NS.equals(ns) && "Signature".equals(local)) {
                        c.signatures.add(e);
                    }
                    NamedNodeMap attributes = e.getAttributes();
                    for (int i = 0; i < attributes.getLength(); i++) {
                        Node a = attributes.item(i);
                        String name = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
                        boolean idLike = a.getNamespaceURI() == null
                                ? "ID".equals(name) || "Id".equals(name) || "id".equals(name)
                                : XML_NS.equals(a.getNamespaceURI()) && "id".equals(name);
                        if (idLike && !ids.add(a.getNodeValue())) {
                            c.duplicateId = true;
                        }
                    }
                }
                node = next(node, top);
            }
            return c;
        }

        private static int depth(Node node, Node top) {
            int depth = 0;
            for (Node n = node; n != top && n != null && depth <= MAX_DEPTH; n = n.getParentNode()) {
                depth++;
            }
            return depth;
        }

        private static Node next(Node node, Node top) {
            if (node.getFirstChild() != null) {
                return node.getFirstChild();
            }
            while (node != top) {
                if (node.getNextSibling() != null) {
                    return node.getNextSibling();
                }
                node = node.getParentNode();
            }
            return null;
        }
    }

    private static void checkSignaturePlacement(Census census, Element response, Element assertion) {
        int onResponse = 0;
        int onAssertion = 0;
        for (Element signature : census.signatures) {
            Node parent = signature.getParentNode();
            if (parent == response) {
                onResponse++;
            } else if (parent == assertion
                    && SAMLConstants.SAML20_NS.equals(assertion.getNamespaceURI())
                    && "Assertion".equals(assertion.getLocalName())) {
                onAssertion++;
            } else {
                throw fail(Reason.UNEXPECTED_SIGNATURE, "a Signature sits on an element other than the Response "
                        + "or its Assertion");
            }
        }
        if (onResponse > 1 || onAssertion > 1) {
            throw fail(Reason.UNEXPECTED_SIGNATURE, "the " + (onResponse > 1 ? "Response" : "Assertion")
                    + " carries more than one Signature");
        }
    }

    // ---- status, issuer, request binding ----------------------------------------------------------------------

    private static void checkStatus(Response response) {
        StatusCode code = response.getStatus() == null ? null : response.getStatus().getStatusCode();
        String value = code == null ? null : code.getValue();
        if (!StatusCode.SUCCESS.equals(value)) {
            String shown = value != null && value.startsWith("urn:oasis:names:tc:SAML:2.0:status:")
                    && value.length() < 80 && value.chars().allMatch(ch -> ch > 32 && ch < 127)
                    ? value.substring("urn:oasis:names:tc:SAML:2.0:status:".length()) : "missing or unknown";
            throw fail(Reason.STATUS_NOT_SUCCESS, "the IdP did not report Success (status: " + shown + ")");
        }
    }

    private void checkIssuer(Issuer issuer, String where) {
        if (issuer == null || issuer.getValue() == null) {
            throw fail(Reason.ISSUER_MISMATCH, "the " + where + " has no Issuer");
        }
        if (issuer.getFormat() != null && !NameIDType.ENTITY.equals(issuer.getFormat())) {
            throw fail(Reason.ISSUER_MISMATCH, "the " + where + " Issuer Format is not entity");
        }
        if (!issuer.getValue().equals(config.idpEntityId())) {
            throw fail(Reason.ISSUER_MISMATCH, "the " + where + " Issuer is not the configured IdP");
        }
    }

    private void checkInResponseTo(String inResponseTo, String where) {
        if (requestUnknown) {
            return; // a dry run that does not know the request: reported as not checked
        }
        if (expectedInResponseTo == null) {
            if (inResponseTo != null) {
                throw fail(Reason.IN_RESPONSE_TO_MISMATCH, "the " + where
                        + " answers a request, but no request was expected");
            }
            if (!config.allowUnsolicited()) {
                throw fail(Reason.UNSOLICITED_NOT_ALLOWED, "the " + where
                        + " answers no request and unsolicited Responses are not allowed");
            }
        } else if (!expectedInResponseTo.equals(inResponseTo)) {
            throw fail(Reason.IN_RESPONSE_TO_MISMATCH, inResponseTo == null
                    ? "the " + where + " has no InResponseTo, but answers a request this SP sent"
                    : "the " + where + " InResponseTo is not the expected request ID");
        }
    }

    // ---- signatures -------------------------------------------------------------------------------------------

    private void verifySignature(SignableSAMLObject signed, String what) {
        Signature signature = signed.getSignature();
        try {
            new SAMLSignatureProfileValidator().validate(signature);
        } catch (SignatureException | RuntimeException e) {
            throw fail(Reason.SIGNATURE_PROFILE, "the " + what + " signature breaks the SAML signature profile");
        }
        Element element = signed.getDOM();
        String id = element.getAttributeNS(null, "ID");
        if (id.isEmpty() || element.getOwnerDocument().getElementById(id) != element) {
            throw fail(Reason.WRAPPED_CONTENT, "the " + what + " signature does not resolve to the " + what);
        }
        checkSignatureAlgorithms(signature.getDOM(), what);

        boolean skippedWeak = false;
        for (X509Certificate cert : config.trustedCertificates()) {
            PublicKey key = cert.getPublicKey();
            if (!config.legacyAlgorithms() && key instanceof RSAPublicKey
                    && ((RSAPublicKey) key).getModulus().bitLength() < SamlAlgorithms.MIN_RSA_BITS) {
                skippedWeak = true;
                continue;
            }
            try {
                SignatureValidator.validate(signature, new BasicX509Credential(cert));
                return;
            } catch (SignatureException | RuntimeException e) {
                // not this certificate (or not this key type): try the next one (rollover)
            }
        }
        if (skippedWeak) {
            throw fail(Reason.WEAK_KEY, "the " + what + " signature does not verify with any trusted "
                    + "certificate of the allowed key size (RSA keys under " + SamlAlgorithms.MIN_RSA_BITS
                    + " bits need allowLegacyAlgorithms)");
        }
        throw fail(Reason.SIGNATURE_INVALID, "the " + what + " signature does not verify with any trusted "
                + "certificate");
    }

    private void checkSignatureAlgorithms(Element signature, String what) {
        Element signedInfo = child(signature, DSIG_NS, "SignedInfo");
        if (signedInfo == null) {
            throw fail(Reason.SIGNATURE_PROFILE, "the " + what + " signature has no SignedInfo");
        }
        Element c14n = child(signedInfo, DSIG_NS, "CanonicalizationMethod");
        if (c14n == null || !SamlAlgorithms.EXC_C14N.equals(c14n.getAttributeNS(null, "Algorithm"))) {
            throw fail(Reason.DISALLOWED_ALGORITHM, "the " + what
                    + " signature does not use exclusive canonicalization");
        }
        Element method = child(signedInfo, DSIG_NS, "SignatureMethod");
        if (method == null || !config.signatureAlgorithms().contains(method.getAttributeNS(null, "Algorithm"))) {
            throw fail(Reason.DISALLOWED_ALGORITHM, "the " + what + " signature algorithm is not in the allow-list"
                    + (config.legacyAlgorithms() ? "" : " (RSA-SHA1 is allowed only with allowLegacyAlgorithms)"));
        }
        for (Node n = signedInfo.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && DSIG_NS.equals(n.getNamespaceURI()) && "Reference".equals(n.getLocalName())) {
                Element digest = child((Element) n, DSIG_NS, "DigestMethod");
                if (digest == null || !config.digestAlgorithms().contains(digest.getAttributeNS(null, "Algorithm"))) {
                    throw fail(Reason.DISALLOWED_ALGORITHM, "the " + what + " signature digest algorithm is not in "
                            + "the allow-list" + (config.legacyAlgorithms() ? ""
                            : " (SHA-1 is allowed only with allowLegacyAlgorithms)"));
                }
            }
        }
    }

    private static Element child(Element parent, String ns, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ns.equals(n.getNamespaceURI()) && local.equals(n.getLocalName())) {
                return (Element) n;
            }
        }
        return null;
    }

    // ---- decryption -------------------------------------------------------------------------------------------

    private Assertion decrypt(EncryptedAssertion encrypted) {
        if (!config.hasDecryptionKey()) {
            throw fail(Reason.NO_DECRYPTION_KEY, "the Assertion is encrypted and no decryption key is configured");
        }
        checkEncryptionAlgorithms(encrypted.getDOM());
        Assertion assertion;
        try {
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) config.decryptionKey();
            PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            DecryptionParameters parameters = new DecryptionParameters();
            parameters.setKEKKeyInfoCredentialResolver(
                    new StaticKeyInfoCredentialResolver(new BasicCredential(publicKey, key)));
            parameters.setEncryptedKeyResolver(new ChainingEncryptedKeyResolver(List.of(
                    new InlineEncryptedKeyResolver(), new EncryptedElementTypeEncryptedKeyResolver(),
                    new SimpleRetrievalMethodEncryptedKeyResolver())));
            List<String> allowed = new ArrayList<>(config.keyTransportAlgorithms());
            allowed.addAll(config.contentEncryptionAlgorithms());
            allowed.addAll(List.of(SamlAlgorithms.DIGEST_SHA1, SamlAlgorithms.DIGEST_SHA256,
                    SamlAlgorithms.DIGEST_SHA384, SamlAlgorithms.DIGEST_SHA512,
                    "http://www.w3.org/2009/xmlenc11#mgf1sha1", "http://www.w3.org/2009/xmlenc11#mgf1sha256",
                    "http://www.w3.org/2009/xmlenc11#mgf1sha384", "http://www.w3.org/2009/xmlenc11#mgf1sha512"));
            parameters.setWhitelistedAlgorithms(allowed);
            Decrypter decrypter = new Decrypter(parameters);
            decrypter.setRootInNewDocument(true);
            assertion = decrypter.decrypt(encrypted);
        } catch (org.opensaml.xmlsec.encryption.support.DecryptionException
                 | java.security.GeneralSecurityException | RuntimeException e) {
            throw fail(Reason.DECRYPTION_FAILED, "the EncryptedAssertion could not be decrypted with this SP's key");
        }
        Element element = assertion.getDOM();
        if (element == null) {
            throw fail(Reason.DECRYPTION_FAILED, "the EncryptedAssertion did not decrypt to an Assertion");
        }
        Census census = Census.of(element);
        if (census.tooDeep) {
            throw fail(Reason.MALFORMED_XML, "the decrypted Assertion nests deeper than " + MAX_DEPTH + " levels");
        }
        if (census.duplicateId) {
            throw fail(Reason.DUPLICATE_ID, "two elements in the decrypted Assertion carry the same ID");
        }
        if (census.assertions != 1 || census.responses != 0 || census.encryptedAssertions != 0) {
            throw fail(Reason.WRAPPED_CONTENT, "the decrypted Assertion holds another Assertion or Response");
        }
        checkSignaturePlacement(census, null, element);
        return assertion;
    }

    private void checkEncryptionAlgorithms(Element encryptedAssertion) {
        Node node = encryptedAssertion;
        boolean sawData = false;
        while (node != null) {
            if (node instanceof Element && XMLENC_NS.equals(node.getNamespaceURI())
                    && "EncryptionMethod".equals(node.getLocalName())) {
                Node parent = node.getParentNode();
                String algorithm = ((Element) node).getAttributeNS(null, "Algorithm");
                String parentName = parent.getLocalName();
                boolean ok;
                if (XMLENC_NS.equals(parent.getNamespaceURI()) && "EncryptedData".equals(parentName)) {
                    ok = config.contentEncryptionAlgorithms().contains(algorithm);
                    sawData = true;
                } else if (XMLENC_NS.equals(parent.getNamespaceURI()) && "EncryptedKey".equals(parentName)) {
                    ok = config.keyTransportAlgorithms().contains(algorithm);
                } else {
                    ok = false;
                }
                if (!ok) {
                    throw fail(Reason.DISALLOWED_ALGORITHM, "the EncryptedAssertion uses a "
                            + ("EncryptedKey".equals(parentName) ? "key transport" : "content encryption")
                            + " algorithm that is not allowed");
                }
            }
            node = Census.next(node, encryptedAssertion);
        }
        if (!sawData) {
            throw fail(Reason.DISALLOWED_ALGORITHM, "the EncryptedAssertion does not name its encryption algorithm");
        }
    }

    // ---- the assertion ----------------------------------------------------------------------------------------

    private VerifiedLogin checkAssertion(Assertion assertion) {
        trace.at("assertion");
        if (assertion.getVersion() == null || !SAMLVersion.VERSION_20.equals(assertion.getVersion())) {
            throw fail(Reason.NOT_A_SAML2_RESPONSE, "the Assertion Version is not 2.0");
        }
        if (assertion.getID() == null || assertion.getID().isBlank()) {
            throw fail(Reason.MALFORMED_XML, "the Assertion has no ID");
        }
        trace.at("assertion-issuer");
        checkIssuer(assertion.getIssuer(), "Assertion");
        trace.at("issue-instant");
        Instant issued = assertion.getIssueInstant();
        if (issued == null) {
            throw fail(Reason.MALFORMED_XML, "the Assertion has no IssueInstant");
        }
        if (issued.isAfter(now.plus(skew))) {
            throw fail(Reason.NOT_YET_VALID, "the Assertion IssueInstant is in the future");
        }

        trace.at("subject");
        Subject subject = assertion.getSubject();
        NameID nameId = subject == null ? null : subject.getNameID();
        String name = nameId == null ? null : nameId.getValue();
        if (name == null || name.isBlank()) {
            throw fail(Reason.SUBJECT_MISSING, "the Assertion has no Subject NameID");
        }
        if (nameId.getDOM() != null && !name.equals(nameId.getDOM().getTextContent().strip())) {
            // belt and braces for the comment-injection family: the value must be the element's whole text
            throw fail(Reason.SUBJECT_MISSING, "the Subject NameID text is split");
        }
        trace.at("bearer");
        Instant confirmationEnd = checkBearer(subject);
        trace.at("conditions");
        Instant conditionsEnd = checkConditions(assertion.getConditions());
        trace.at("authn-statement");
        Instant authnInstant = checkAuthnStatement(assertion);

        Map<String, List<String>> attributes = attributes(assertion);

        Instant expiresAt = (conditionsEnd == null || confirmationEnd.isBefore(conditionsEnd)
                ? confirmationEnd : conditionsEnd).plus(skew);
        if (expectedInResponseTo != null) {
            trace.at("request-single-use");
            recordFirstUse("request:" + expectedInResponseTo, "request-single-use", expiresAt,
                    Reason.REQUEST_ALREADY_ANSWERED, "the request this Response answers was already answered");
        } else if (requestUnknown) {
            trace.notChecked("request-single-use", "no request ID was given");
        } else {
            trace.notApplicable("request-single-use", "the Response is unsolicited: it answers no request");
        }
        trace.at("replay");
        recordFirstUse("assertion:" + config.idpEntityId() + "|" + assertion.getID(), "replay", expiresAt,
                Reason.REPLAYED, "this Assertion was already used");
        return new VerifiedLogin(VerifiedLogin.Protocol.SAML, assertion.getIssuer().getValue(), name,
                assertion.getID(), authnInstant, expectedInResponseTo, attributes);
    }

    private void recordFirstUse(String key, String check, Instant expiresAt, Reason reason, String message) {
        boolean first;
        try {
            if (trace.recording()) {
                // a dry run looks, never records: explaining a login must not use it up
                Optional<Boolean> used = config.replayCache().peek(key);
                if (used.isEmpty()) {
                    trace.notChecked(check, "the replay cache cannot be read without recording (looked at only "
                            + "when it offers SamlReplayCache.peek)");
                    return;
                }
                first = !used.get();
            } else {
                first = config.replayCache().firstUse(key, expiresAt);
            }
        } catch (RuntimeException e) {
            LOG.warn("SAML replay cache failed ({}); refusing the login", e.getClass().getSimpleName());
            throw fail(Reason.REPLAY_CACHE_UNAVAILABLE, "the replay cache could not record the Assertion");
        }
        if (!first) {
            throw fail(reason, message);
        }
    }

    /** Checks the bearer confirmation; returns its NotOnOrAfter. */
    private Instant checkBearer(Subject subject) {
        SamlValidationException firstFailure = null;
        for (SubjectConfirmation confirmation : subject.getSubjectConfirmations()) {
            if (!BEARER.equals(confirmation.getMethod())) {
                continue;
            }
            try {
                return checkBearerData(confirmation.getSubjectConfirmationData());
            } catch (SamlValidationException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        throw fail(Reason.NO_BEARER_CONFIRMATION, "the Subject has no bearer SubjectConfirmation");
    }

    private Instant checkBearerData(SubjectConfirmationData data) {
        if (data == null) {
            throw fail(Reason.BEARER_DATA_INVALID, "the bearer SubjectConfirmation has no SubjectConfirmationData");
        }
        if (data.getNotBefore() != null) {
            throw fail(Reason.BEARER_DATA_INVALID, "the bearer SubjectConfirmationData has a NotBefore");
        }
        if (data.getNotOnOrAfter() == null) {
            throw fail(Reason.BEARER_DATA_INVALID, "the bearer SubjectConfirmationData has no NotOnOrAfter");
        }
        if (data.getRecipient() == null || !data.getRecipient().equals(config.acsUrl())) {
            throw fail(Reason.RECIPIENT_MISMATCH, "the bearer SubjectConfirmationData Recipient is not this SP's "
                    + "ACS URL");
        }
        if (!now.minus(skew).isBefore(data.getNotOnOrAfter())) {
            throw fail(Reason.CONFIRMATION_EXPIRED, "the bearer SubjectConfirmationData NotOnOrAfter has passed");
        }
        checkInResponseTo(data.getInResponseTo(), "bearer SubjectConfirmationData");
        return data.getNotOnOrAfter();
    }

    /** Checks Conditions; returns their NotOnOrAfter or null. */
    private Instant checkConditions(Conditions conditions) {
        if (conditions == null) {
            throw fail(Reason.CONDITIONS_INVALID, "the Assertion has no Conditions (an AudienceRestriction is "
                    + "required)");
        }
        if (conditions.getNotBefore() != null && now.plus(skew).isBefore(conditions.getNotBefore())) {
            throw fail(Reason.NOT_YET_VALID, "the Assertion Conditions NotBefore is in the future");
        }
        if (conditions.getNotOnOrAfter() != null && !now.minus(skew).isBefore(conditions.getNotOnOrAfter())) {
            throw fail(Reason.EXPIRED, "the Assertion Conditions NotOnOrAfter has passed");
        }
        trace.at("audience");
        List<AudienceRestriction> restrictions = conditions.getAudienceRestrictions();
        if (restrictions.isEmpty()) {
            throw fail(Reason.AUDIENCE_MISMATCH, "the Assertion has no AudienceRestriction");
        }
        for (AudienceRestriction restriction : restrictions) {
            boolean named = false;
            for (Audience audience : restriction.getAudiences()) {
                named |= config.spEntityId().equals(audience.getURI());
            }
            if (!named) {
                throw fail(Reason.AUDIENCE_MISMATCH, "an AudienceRestriction does not name this SP's entity ID");
            }
        }
        trace.at("conditions-understood");
        for (Condition condition : conditions.getConditions()) {
            // ProxyRestriction limits onward assertions only: nothing to enforce for a relying SP
            if (!(condition instanceof AudienceRestriction) && !(condition instanceof OneTimeUse)
                    && !(condition instanceof org.opensaml.saml.saml2.core.ProxyRestriction)) {
                throw fail(Reason.CONDITIONS_INVALID, "the Assertion carries a condition this SP does not "
                        + "understand");
            }
        }
        return conditions.getNotOnOrAfter();
    }

    private Instant checkAuthnStatement(Assertion assertion) {
        List<AuthnStatement> statements = assertion.getAuthnStatements();
        if (statements.isEmpty()) {
            throw fail(Reason.AUTHN_STATEMENT_INVALID, "the Assertion has no AuthnStatement");
        }
        AuthnStatement statement = statements.get(0);
        if (statement.getAuthnInstant() == null) {
            throw fail(Reason.AUTHN_STATEMENT_INVALID, "the AuthnStatement has no AuthnInstant");
        }
        if (statement.getAuthnInstant().isAfter(now.plus(skew))) {
            throw fail(Reason.AUTHN_STATEMENT_INVALID, "the AuthnInstant is in the future");
        }
        Instant sessionEnd = statement.getSessionNotOnOrAfter();
        if (sessionEnd != null && !now.minus(skew).isBefore(sessionEnd)) {
            throw fail(Reason.AUTHN_STATEMENT_INVALID, "the AuthnStatement SessionNotOnOrAfter has passed");
        }
        return statement.getAuthnInstant();
    }

    private static Map<String, List<String>> attributes(Assertion assertion) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                String name = attribute.getName();
                if (name == null) {
                    continue;
                }
                List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
                for (XMLObject value : attribute.getAttributeValues()) {
                    Element dom = value.getDOM();
                    String text = dom == null ? null : dom.getTextContent();
                    if (text != null) {
                        values.add(text.strip());
                    }
                }
            }
        }
        return out;
    }
}
