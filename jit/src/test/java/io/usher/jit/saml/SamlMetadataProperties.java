package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.usher.core.ConfigException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** IdP metadata from anywhere (a paste, a download) is either read or refused with a ConfigException, never worse. */
class SamlMetadataProperties {
    private static final String METADATA = new SamlFixture().idp.metadata();

    @Property(tries = 300)
    void damagedMetadataIsReadOrRefusedWithAConfigException(@ForAll @IntRange(min = 0, max = 100_000) int at,
            @ForAll @IntRange(min = 0, max = 30) int cut, @ForAll @Size(max = 3) String insert) {
        int p = at % METADATA.length();
        String damaged = METADATA.substring(0, p) + insert + METADATA.substring(Math.min(METADATA.length(), p + cut));
        Throwable thrown = catchThrowable(() -> SamlMetadata.parseIdp(damaged, null));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).contains("idpMetadata");
        }
    }

    @Property(tries = 200)
    void arbitraryTextIsRefusedWithAConfigException(@ForAll @Size(max = 300) String text) {
        assertThat(catchThrowable(() -> SamlMetadata.parseIdp(text, null))).isInstanceOf(ConfigException.class);
    }
}
