package dev.eekbp.it.harness;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Guests still running when the JVM exits (a test interrupted, surefire
 * killed with SIGTERM) are closed by one shutdown hook.
 */
final class Cleanup {

    private static final Set<AutoCloseable> LIVE = new LinkedHashSet<>();
    private static boolean hooked;

    private Cleanup() {
    }

    static synchronized void register(AutoCloseable c) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "eekbp-guest-cleanup"));
            hooked = true;
        }
        LIVE.add(c);
    }

    static synchronized void unregister(AutoCloseable c) {
        LIVE.remove(c);
    }

    private static void closeAll() {
        List<AutoCloseable> all;
        synchronized (Cleanup.class) {
            all = new ArrayList<>(LIVE);
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("eekbp: cleanup of " + c + " failed: " + e);
            }
        }
    }
}
