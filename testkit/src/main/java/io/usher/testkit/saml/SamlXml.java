package io.usher.testkit.saml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import net.shibboleth.utilities.java.support.xml.SerializeSupport;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.MarshallingException;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.saml.common.SAMLObjectContentReference;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Encrypter;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.support.DataEncryptionParameters;
import org.opensaml.xmlsec.encryption.support.EncryptionException;
import org.opensaml.xmlsec.encryption.support.KeyEncryptionParameters;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.Signer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The XML work behind {@link SamlIdp} and {@link SamlAttacks}: OpenSAML set-up, building, signing, parsing. */
final class SamlXml {
    static final String SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    private SamlXml() {
    }

    private static final class Init {
        static final boolean DONE = init();

        private static boolean init() {
            try {
                InitializationService.initialize();
                return true;
            } catch (InitializationException e) {
                throw new IllegalStateException("OpenSAML could not be initialised", e);
            }
        }
    }

    static void ensureInitialized() {
        if (!Init.DONE) {
            throw new IllegalStateException("OpenSAML is not initialised");
        }
    }

    // ---- plain DOM --------------------------------------------------------------------------------------------

    /** Parses with a hardened JAXP parser (no DTDs), keeping comments so that attacks can see what they did. */
    static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not parseable XML", e);
        }
    }

    static Document parse(String xml) {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String serialize(Node node) {
        return SerializeSupport.nodeToString(node);
    }

    static Element firstChild(Element parent, String ns, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ns.equals(n.getNamespaceURI()) && local.equals(n.getLocalName())) {
                return (Element) n;
            }
        }
        return null;
    }

    // ---- issuing ----------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static <T extends XMLObject> T build(QName name) {
        return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
    }

    private static Issuer issuer(String value) {
        Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(value);
        return issuer;
    }

    static SamlIdp.IssuedResponse issue(SamlIdp idp, SamlIdp.ResponseSpec s) {
        ensureInitialized();
        Instant issued = s.issueInstant != null ? s.issueInstant : idp.clock.instant();
        Instant authn = s.authnInstant != null ? s.authnInstant : issued;
        Instant end = issued.plus(s.validity);
        String assertionId = s.assertionId != null ? s.assertionId : idp.newId();
        String responseId = s.responseId != null ? s.responseId : idp.newId();

        Assertion assertion = build(Assertion.DEFAULT_ELEMENT_NAME);
        assertion.setID(assertionId);
        assertion.setIssueInstant(issued);
        assertion.setVersion(SAMLVersion.VERSION_20);
        String assertionIssuer = s.assertionIssuer != null ? s.assertionIssuer : s.issuer;
        if (assertionIssuer != null) {
            assertion.setIssuer(issuer(assertionIssuer));
        }

        Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
        if (s.nameId != null) {
            NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
            nameId.setValue(s.nameId);
            nameId.setFormat(s.nameIdFormat);
            subject.setNameID(nameId);
        }
        SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
        confirmation.setMethod(s.confirmationMethod);
        SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
        data.setRecipient(s.recipient);
        if (!s.omitBearerNotOnOrAfter) {
            data.setNotOnOrAfter(end);
        }
        if (s.bearerNotBefore) {
            data.setNotBefore(issued);
        }
        data.setInResponseTo(s.inResponseTo);
        confirmation.setSubjectConfirmationData(data);
        subject.getSubjectConfirmations().add(confirmation);
        assertion.setSubject(subject);

        if (!s.omitConditions) {
            Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
            conditions.setNotBefore(s.notBefore != null ? s.notBefore : issued);
            conditions.setNotOnOrAfter(s.conditionsValidity == null ? end : issued.plus(s.conditionsValidity));
            if (!s.audiences.isEmpty()) {
                AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
                for (String uri : s.audiences) {
                    Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
                    audience.setURI(uri);
                    restriction.getAudiences().add(audience);
                }
                conditions.getAudienceRestrictions().add(restriction);
            }
            assertion.setConditions(conditions);
        }

        if (!s.omitAuthnStatement) {
            AuthnStatement statement = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
            statement.setAuthnInstant(authn);
            statement.setSessionIndex(idp.newId());
            AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
            AuthnContextClassRef classRef = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
            classRef.setURI(AuthnContext.PPT_AUTHN_CTX);
            context.setAuthnContextClassRef(classRef);
            statement.setAuthnContext(context);
            assertion.getAuthnStatements().add(statement);
        }

        Map<String, List<String>> attributes = s.allAttributes();
        if (!attributes.isEmpty()) {
            AttributeStatement statement = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
            for (Map.Entry<String, List<String>> entry : attributes.entrySet()) {
                Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
                attribute.setName(entry.getKey());
                attribute.setNameFormat(Attribute.BASIC);
                for (String value : entry.getValue()) {
                    XSString v = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory()
                            .getBuilderOrThrow(XSString.TYPE_NAME)
                            .buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
                    v.setValue(value);
                    attribute.getAttributeValues().add(v);
                }
                statement.getAttributes().add(attribute);
            }
            assertion.getAttributeStatements().add(statement);
        }

        boolean signAssertion = s.signing == SamlIdp.Signing.ASSERTION || s.signing == SamlIdp.Signing.BOTH;
        boolean signResponse = s.signing == SamlIdp.Signing.RESPONSE || s.signing == SamlIdp.Signing.BOTH;
        try {
            if (signAssertion) {
                Signature signature = prepareSignature(assertion, s);
                marshall(assertion);
                Signer.signObject(signature);
            }
            Response response = build(Response.DEFAULT_ELEMENT_NAME);
            response.setID(responseId);
            response.setIssueInstant(issued);
            response.setVersion(SAMLVersion.VERSION_20);
            response.setDestination(s.destination);
            response.setInResponseTo(s.inResponseTo);
            if (s.issuer != null) {
                response.setIssuer(issuer(s.issuer));
            }
            Status status = build(Status.DEFAULT_ELEMENT_NAME);
            StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
            code.setValue(s.statusCode);
            status.setStatusCode(code);
            response.setStatus(status);
            if (s.encryptFor != null) {
                response.getEncryptedAssertions().add(encrypt(assertion, s));
            } else {
                response.getAssertions().add(assertion);
            }
            Signature responseSignature = signResponse ? prepareSignature(response, s) : null;
            Element element = marshall(response);
            if (responseSignature != null) {
                Signer.signObject(responseSignature);
            }
            return new SamlIdp.IssuedResponse(serialize(element), responseId, assertionId);
        } catch (MarshallingException | SignatureException | EncryptionException e) {
            throw new IllegalStateException("the test IdP could not issue the Response", e);
        }
    }

    static String metadata(SamlIdp idp) {
        ensureInitialized();
        org.opensaml.saml.saml2.metadata.EntityDescriptor entity =
                build(org.opensaml.saml.saml2.metadata.EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(idp.entityId);
        org.opensaml.saml.saml2.metadata.IDPSSODescriptor descriptor =
                build(org.opensaml.saml.saml2.metadata.IDPSSODescriptor.DEFAULT_ELEMENT_NAME);
        descriptor.addSupportedProtocol(SAMLP_NS);
        org.opensaml.saml.saml2.metadata.KeyDescriptor key =
                build(org.opensaml.saml.saml2.metadata.KeyDescriptor.DEFAULT_ELEMENT_NAME);
        key.setUse(org.opensaml.security.credential.UsageType.SIGNING);
        KeyInfo keyInfo = build(KeyInfo.DEFAULT_ELEMENT_NAME);
        try {
            KeyInfoSupport.addCertificate(keyInfo, idp.signingKey.certificate());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate encoding failed", e);
        }
        key.setKeyInfo(keyInfo);
        descriptor.getKeyDescriptors().add(key);
        for (String binding : List.of("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")) {
            org.opensaml.saml.saml2.metadata.SingleSignOnService sso =
                    build(org.opensaml.saml.saml2.metadata.SingleSignOnService.DEFAULT_ELEMENT_NAME);
            sso.setBinding(binding);
            sso.setLocation(idp.ssoUrl);
            descriptor.getSingleSignOnServices().add(sso);
        }
        entity.getRoleDescriptors().add(descriptor);
        try {
            return serialize(marshall(entity));
        } catch (MarshallingException e) {
            throw new IllegalStateException("the test IdP could not write its metadata", e);
        }
    }

    private static Signature prepareSignature(SignableSAMLObject target, SamlIdp.ResponseSpec s) {
        Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
        signature.setSigningCredential(new BasicX509Credential(s.signer.certificate(), s.signer.privateKey()));
        signature.setSignatureAlgorithm(s.algorithm.signature);
        signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        KeyInfo keyInfo = build(KeyInfo.DEFAULT_ELEMENT_NAME);
        try {
            KeyInfoSupport.addCertificate(keyInfo, s.signer.certificate());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate encoding failed", e);
        }
        signature.setKeyInfo(keyInfo);
        target.setSignature(signature);
        if (signature.getContentReferences().isEmpty()) {
            signature.getContentReferences().add(new SAMLObjectContentReference(target));
        }
        ((SAMLObjectContentReference) signature.getContentReferences().get(0)).setDigestAlgorithm(s.algorithm.digest);
        return signature;
    }

    private static EncryptedAssertion encrypt(Assertion assertion, SamlIdp.ResponseSpec s) throws EncryptionException {
        DataEncryptionParameters data = new DataEncryptionParameters();
        data.setAlgorithm(s.contentEncryption.uri);
        KeyEncryptionParameters key = new KeyEncryptionParameters();
        key.setEncryptionCredential(new BasicX509Credential(s.encryptFor));
        key.setAlgorithm(s.keyTransport.uri);
        Encrypter encrypter = new Encrypter(data, key);
        encrypter.setKeyPlacement(Encrypter.KeyPlacement.INLINE);
        return encrypter.encrypt(assertion);
    }

    private static Element marshall(XMLObject object) throws MarshallingException {
        return XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object).marshall(object);
    }
}
