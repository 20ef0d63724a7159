package dev.eekbp.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version, shared by `eekbp version` and the eekbp_build_info
 * metric. It comes from dev/eekbp/agent/version.properties: Maven writes the
 * project version there, and the Debian package build rewrites it in the
 * packaged jar with the package version (debian/changelog).
 */
public final class Version {
    public static final String VERSION = load(Version.class.getResourceAsStream("version.properties"));

    private Version() {
    }

    /** The "version" of a properties stream; "unknown" when missing or unfilled. */
    static String load(InputStream in) {
        if (in == null) {
            return "unknown";
        }
        try (in) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
