package dev.eekbp.agent.cpu;

/** Loads a stock kernel module by name (modprobe); failures are silent, callers re-check. */
@FunctionalInterface
public interface ModuleProbe {
    void load(String module);

    ModuleProbe NONE = m -> { };

    /** Runs /sbin/modprobe -q NAME with a 10 s limit. */
    static ModuleProbe modprobe() {
        return module -> {
            try {
                Process p = new ProcessBuilder("modprobe", "-q", module).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (java.io.IOException e) {
                // modprobe missing: the caller reports the governor as unavailable
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
