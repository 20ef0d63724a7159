package dev.eekbp.it.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** An agent guest script of this package with agent-guest-lib.sh (its common head) in front. */
final class AgentGuestScript {

    private AgentGuestScript() {
    }

    static String load(String name) throws IOException {
        return resource("agent-guest-lib.sh") + "\n" + resource(name);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AgentGuestScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing resource " + name));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
