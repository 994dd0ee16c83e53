package io.usher.jit.saml;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import net.shibboleth.utilities.java.support.component.ComponentInitializationException;
import net.shibboleth.utilities.java.support.xml.BasicParserPool;
import net.shibboleth.utilities.java.support.xml.XMLParserException;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.Unmarshaller;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * OpenSAML behind one door: initialised once, lazily and thread-safely (the holder idiom), and a parser pool
 * with every dangerous XML feature off. Package-private: nothing outside this package sees OpenSAML.
 */
final class OpenSaml {
    private OpenSaml() {
    }

    /** Thrown by {@link #parse} when the bytes are not acceptable XML; {@code doctype} marks DTD refusals. */
    static final class ParseFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean doctype;

        ParseFailure(boolean doctype) {
            super(doctype ? "DOCTYPE refused" : "not well-formed XML", null, false, false);
            this.doctype = doctype;
        }
    }

    private static final class Holder {
        static final BasicParserPool POOL = init();

        private static BasicParserPool init() {
            try {
                InitializationService.initialize();
            } catch (InitializationException e) {
                throw new IllegalStateException("OpenSAML could not be initialised", e);
            }
            BasicParserPool pool = new BasicParserPool();
            pool.setMaxPoolSize(50);
            pool.setNamespaceAware(true);
            // comments are dropped and adjacent text merged, so "a<!---->b" is read as "ab" everywhere
            // (CVE-2017-11427 family: a library reading only the first text node would see "a")
            pool.setIgnoreComments(true);
            pool.setCoalescing(true);
            pool.setExpandEntityReferences(false);
            pool.setXincludeAware(false);
            pool.setDTDValidating(false);
            pool.setIgnoreElementContentWhitespace(false);
            Map<String, Boolean> features = new HashMap<>();
            features.put(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            features.put("http://apache.org/xml/features/disallow-doctype-decl", true);
            features.put("http://xml.org/sax/features/external-general-entities", false);
            features.put("http://xml.org/sax/features/external-parameter-entities", false);
            features.put("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            pool.setBuilderFeatures(features);
            try {
                pool.initialize();
            } catch (ComponentInitializationException e) {
                throw new IllegalStateException("the XML parser pool could not be initialised", e);
            }
            return pool;
        }
    }

    /** Makes sure OpenSAML (and Santuario under it) is initialised; cheap after the first call. */
    static void ensureInitialized() {
        Holder.POOL.getClass();
    }

    /** Parses with the secured pool: no DOCTYPE, no external entities, no XInclude, comments dropped. */
    static Document parse(byte[] xml) throws ParseFailure {
        try {
            return Holder.POOL.parse(new ByteArrayInputStream(xml));
        } catch (XMLParserException e) {
            throw new ParseFailure(mentionsDoctype(e));
        }
    }

    /** A new empty document from the secured pool (for building messages). */
    static Document newDocument() {
        try {
            return Holder.POOL.newDocument();
        } catch (XMLParserException e) {
            throw new IllegalStateException("no XML document builder available", e);
        }
    }

    private static boolean mentionsDoctype(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("DOCTYPE")) {
                return true;
            }
        }
        return false;
    }

    /** A new, empty OpenSAML object of this element name. */
    @SuppressWarnings("unchecked")
    static <T extends XMLObject> T build(javax.xml.namespace.QName name) {
        ensureInitialized();
        return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
    }

    /** Marshals an object into a DOM element (its own document). */
    static Element marshall(XMLObject object) {
        ensureInitialized();
        try {
            return XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object).marshall(object);
        } catch (org.opensaml.core.xml.io.MarshallingException e) {
            throw new IllegalStateException("could not marshal a " + object.getElementQName().getLocalPart(), e);
        }
    }

    /** The element as XML text (no pretty-printing). */
    static String serialize(Element element) {
        return net.shibboleth.utilities.java.support.xml.SerializeSupport.nodeToString(element);
    }

    /** Unmarshals an element into OpenSAML's object tree (the tree keeps the DOM it came from). */
    static XMLObject unmarshall(Element element) throws UnmarshallingException {
        ensureInitialized();
        Unmarshaller u = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(element);
        if (u == null) {
            throw new UnmarshallingException("no unmarshaller for the element");
        }
        return u.unmarshall(element);
    }
}
