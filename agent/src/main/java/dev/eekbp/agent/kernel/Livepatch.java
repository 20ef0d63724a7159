package dev.eekbp.agent.kernel;

import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The eekbp_livepatch: load (enable), transition wait, disable and unload. */
public final class Livepatch {
    private static final String DIR = Uapi.LIVEPATCH_DIR.substring(1);

    private final SysfsTree fs;
    private final ModuleLoader loader;

    public Livepatch(SysfsTree fs, ModuleLoader loader) {
        this.fs = fs;
        this.loader = loader;
    }

    public boolean present() {
        return fs.exists(DIR + "/enabled");
    }

    public boolean enabled() {
        return fs.tryRead(DIR + "/enabled").map(String::strip).orElse("0").equals("1");
    }

    /** "1" while tasks are still being switched; empty when the patch is gone. */
    public boolean inTransition() {
        return fs.tryRead(DIR + "/transition").map(String::strip).orElse("0").equals("1");
    }

    /**
     * Loads the livepatch (or adopts/re-enables one already there) and waits
     * until every task is patched; gives up when {@code abort} turns true.
     */
    public ModuleLoader.Outcome enable(Duration timeout, BooleanSupplier abort) throws KernelException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ModuleLoader.Outcome o = ModuleLoader.Outcome.ADOPTED;
        if (!present()) {
            o = loader.load(Uapi.LIVEPATCH_NAME, "");
        } else if (!enabled()) {
            waitTransition(deadline, timeout, "a previous disable", abort);
            write("1");
        }
        waitTransition(deadline, timeout, "enabling", abort);
        return o;
    }

    /** Disables the patch, waits for the transition, then unloads the module, all within {@code timeout}. */
    public void disableAndUnload(Duration timeout) throws KernelException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (present() && enabled()) {
            waitTransition(deadline, timeout, "a previous enable", () -> false);
            write("0");
        }
        waitTransition(deadline, timeout, "disabling", () -> false);
        loader.unload(Uapi.LIVEPATCH_NAME, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private void write(String v) throws KernelException {
        try {
            fs.write(DIR + "/enabled", v);
        } catch (IOException e) {
            throw new KernelException("cannot write " + v + " to " + fs.path(DIR + "/enabled") + ": "
                    + KernelControl.describe(e), e);
        }
    }

    private void waitTransition(long deadline, Duration timeout, String what, BooleanSupplier abort)
            throws KernelException {
        while (inTransition()) {
            if (abort.getAsBoolean()) {
                throw new KernelException("stop requested while waiting for the livepatch transition (" + what
                        + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new KernelException("livepatch transition (" + what + ") not finished after "
                        + timeout.toSeconds() + " s: some task still runs a patched function; see"
                        + " /proc/*/patch_state and dmesg, or write 1 to " + fs.path(DIR + "/force")
                        + " if you know it is safe");
            }
            ModuleLoader.sleep(50);
        }
    }
}
