package io.usher.jit.saml;

import io.usher.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.metadata.AssertionConsumerService;
import org.opensaml.saml.saml2.metadata.EntitiesDescriptor;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.NameIDFormat;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.saml.saml2.metadata.SingleSignOnService;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.w3c.dom.Document;

/**
 * SAML metadata, both ways: reads what this SP needs from an IdP's metadata ({@link #parseIdp}) and writes this
 * SP's own metadata for the IdP's administrator ({@link #spMetadata}). Stateless and thread-safe.
 *
 * <p>Metadata is configuration: the host reads it from a file or URL its administrator chose. Its signature, if
 * any, is not checked here; fetch it over TLS from the IdP, or have the administrator paste it.
 */
public final class SamlMetadata {
    /** The largest metadata document read: 1 MiB. */
    public static final int MAX_METADATA_BYTES = 1 << 20;

    private SamlMetadata() {
    }

    /**
     * What an IdP's metadata says that an SP needs.
     *
     * @param entityId                 the IdP's entity ID (the Issuer of its Responses)
     * @param ssoRedirectUrl           its SingleSignOnService for HTTP-Redirect, or null
     * @param ssoPostUrl               its SingleSignOnService for HTTP-POST, or null
     * @param signingCertificates      the certificates it signs with (KeyDescriptor use="signing" or no use);
     *                                 several during a rollover
     * @param wantAuthnRequestsSigned  whether it asks for signed AuthnRequests
     */
    public record IdpMetadata(String entityId, String ssoRedirectUrl, String ssoPostUrl,
                              List<X509Certificate> signingCertificates, boolean wantAuthnRequestsSigned) {
        public IdpMetadata {
            Objects.requireNonNull(entityId, "entityId");
            signingCertificates = List.copyOf(signingCertificates);
        }
    }

    /**
     * Reads an IdP's metadata: an EntityDescriptor, or an EntitiesDescriptor holding exactly one IdP (or the one
     * named by {@code entityId}). Parsed with the same hardened parser as Responses.
     *
     * @param entityId which IdP to take from an aggregate, or null for "the only one"
     * @throws ConfigException naming what is missing or wrong (key {@code idpMetadata})
     */
    public static IdpMetadata parseIdp(String xml, String entityId) {
        Objects.requireNonNull(xml, "xml");
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_METADATA_BYTES) {
            throw new ConfigException("idpMetadata", "is larger than " + MAX_METADATA_BYTES + " bytes");
        }
        Document doc;
        try {
            doc = OpenSaml.parse(bytes);
        } catch (OpenSaml.ParseFailure e) {
            throw new ConfigException("idpMetadata", e.doctype ? "carries a DOCTYPE; DTDs are refused"
                    : "is not well-formed XML");
        }
        org.w3c.dom.Element top = doc.getDocumentElement();
        if (!SAMLConstants.SAML20MD_NS.equals(top.getNamespaceURI())
                || !("EntityDescriptor".equals(top.getLocalName()) || "EntitiesDescriptor".equals(top.getLocalName()))) {
            throw new ConfigException("idpMetadata", "the root element is not an EntityDescriptor or "
                    + "EntitiesDescriptor");
        }
        XMLObject root;
        try {
            root = OpenSaml.unmarshall(doc.getDocumentElement());
        } catch (UnmarshallingException | RuntimeException e) {
            throw new ConfigException("idpMetadata", "does not follow the SAML metadata schema");
        }
        List<EntityDescriptor> candidates = new ArrayList<>();
        collect(root, candidates);
        candidates.removeIf(e -> e.getIDPSSODescriptor(SAMLConstants.SAML20P_NS) == null
                || (entityId != null && !entityId.equals(e.getEntityID())));
        if (candidates.isEmpty()) {
            throw new ConfigException("idpMetadata", entityId == null
                    ? "holds no SAML 2.0 IdP (IDPSSODescriptor)" : "holds no SAML 2.0 IdP with the given entity ID");
        }
        if (candidates.size() > 1) {
            throw new ConfigException("idpMetadata", "holds " + candidates.size()
                    + " SAML 2.0 IdPs; name the one to use by its entity ID");
        }
        EntityDescriptor entity = candidates.get(0);
        if (entity.getEntityID() == null || entity.getEntityID().isBlank()) {
            throw new ConfigException("idpMetadata", "the EntityDescriptor has no entityID");
        }
        IDPSSODescriptor idp = entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS);
        String redirect = null;
        String post = null;
        for (SingleSignOnService service : idp.getSingleSignOnServices()) {
            if (redirect == null && SAMLConstants.SAML2_REDIRECT_BINDING_URI.equals(service.getBinding())) {
                redirect = service.getLocation();
            } else if (post == null && SAMLConstants.SAML2_POST_BINDING_URI.equals(service.getBinding())) {
                post = service.getLocation();
            }
        }
        if (redirect == null && post == null) {
            throw new ConfigException("idpMetadata", "the IdP has no SingleSignOnService for HTTP-Redirect or POST");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (KeyDescriptor key : idp.getKeyDescriptors()) {
            if (key.getUse() == UsageType.ENCRYPTION || key.getKeyInfo() == null) {
                continue;
            }
            try {
                for (X509Certificate c : KeyInfoSupport.getCertificates(key.getKeyInfo())) {
                    if (!certificates.contains(c)) {
                        certificates.add(c);
                    }
                }
            } catch (CertificateException | RuntimeException e) {
                // cryptacular throws an unchecked StreamException on a truncated certificate
                throw new ConfigException("idpMetadata", "a signing certificate cannot be decoded");
            }
        }
        if (certificates.isEmpty()) {
            throw new ConfigException("idpMetadata", "the IdP names no signing certificate");
        }
        return new IdpMetadata(entity.getEntityID(), redirect, post, certificates,
                Boolean.TRUE.equals(idp.getWantAuthnRequestsSigned()));
    }

    private static void collect(XMLObject node, List<EntityDescriptor> out) {
        if (node instanceof EntityDescriptor) {
            out.add((EntityDescriptor) node);
        } else if (node instanceof EntitiesDescriptor) {
            EntitiesDescriptor entities = (EntitiesDescriptor) node;
            out.addAll(entities.getEntityDescriptors());
            for (EntitiesDescriptor nested : entities.getEntitiesDescriptors()) {
                collect(nested, out);
            }
        } else {
            throw new ConfigException("idpMetadata", "the root element is not an EntityDescriptor or "
                    + "EntitiesDescriptor");
        }
    }

    /**
     * This SP's metadata: entity ID, ACS (HTTP-POST), persistent NameID, WantAssertionsSigned, and the
     * certificates the IdP needs: the one it verifies signed AuthnRequests with, and the one it encrypts
     * assertions for. Either may be null.
     */
    public static String spMetadata(SamlConfig config, X509Certificate signingCertificate,
            X509Certificate encryptionCertificate) {
        Objects.requireNonNull(config, "config");
        EntityDescriptor entity = OpenSaml.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(config.spEntityId());
        SPSSODescriptor sp = OpenSaml.build(SPSSODescriptor.DEFAULT_ELEMENT_NAME);
        sp.addSupportedProtocol(SAMLConstants.SAML20P_NS);
        sp.setAuthnRequestsSigned(signingCertificate != null);
        sp.setWantAssertionsSigned(Boolean.TRUE);
        if (signingCertificate != null) {
            sp.getKeyDescriptors().add(keyDescriptor(signingCertificate, UsageType.SIGNING));
        }
        if (encryptionCertificate != null) {
            sp.getKeyDescriptors().add(keyDescriptor(encryptionCertificate, UsageType.ENCRYPTION));
        }
        NameIDFormat format = OpenSaml.build(NameIDFormat.DEFAULT_ELEMENT_NAME);
        format.setURI(NameIDType.PERSISTENT);
        sp.getNameIDFormats().add(format);
        AssertionConsumerService acs = OpenSaml.build(AssertionConsumerService.DEFAULT_ELEMENT_NAME);
        acs.setBinding(SAMLConstants.SAML2_POST_BINDING_URI);
        acs.setLocation(config.acsUrl());
        acs.setIndex(0);
        acs.setIsDefault(Boolean.TRUE);
        sp.getAssertionConsumerServices().add(acs);
        entity.getRoleDescriptors().add(sp);
        return OpenSaml.serialize(OpenSaml.marshall(entity));
    }

    private static KeyDescriptor keyDescriptor(X509Certificate certificate, UsageType use) {
        KeyDescriptor descriptor = OpenSaml.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
        descriptor.setUse(use);
        KeyInfo keyInfo = OpenSaml.build(KeyInfo.DEFAULT_ELEMENT_NAME);
        try {
            KeyInfoSupport.addCertificate(keyInfo, certificate);
        } catch (CertificateEncodingException e) {
            throw new ConfigException(use == UsageType.SIGNING ? "signingCertificate" : "encryptionCertificate",
                    "cannot be encoded");
        }
        descriptor.setKeyInfo(keyInfo);
        return descriptor;
    }
}
