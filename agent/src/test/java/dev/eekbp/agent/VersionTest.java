package dev.eekbp.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionTest {
    private static ByteArrayInputStream props(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theBuildWritesTheProjectVersion() {
        // Maven filtered src/main/resources-filtered into the classpath
        assertThat(Version.VERSION).matches("[0-9]+\\.[0-9]+\\.[0-9]+.*");
    }

    @Test
    void aPackageVersionIsReadAsWritten() {
        assertThat(Version.load(props("version=0.1.0+it1\n"))).isEqualTo("0.1.0+it1");
    }

    @Test
    void missingOrUnfilledIsUnknown() {
        assertThat(Version.load(null)).isEqualTo("unknown");
        assertThat(Version.load(props("version=${project.version}\n"))).isEqualTo("unknown");
        assertThat(Version.load(props("other=1\n"))).isEqualTo("unknown");
    }
}
