package dev.eekbp.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Host-side checks that a guest left no namespace, tap or process behind. */
final class Leftovers {

    private Leftovers() {
    }

    static void assertNone(String uniqueId, String netns, String tap) throws Exception {
        assertThat(run("ip", "netns", "list")).as("namespaces after close").doesNotContain(netns);
        assertThat(run("ip", "-o", "link", "show")).as("links after close").doesNotContain(tap);
        assertThat(run("pgrep", "-af", uniqueId)).as("processes after close").isBlank();
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
