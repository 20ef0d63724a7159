package dev.eekbp.it.kernel;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `make soak`: one guest per kernel (guest/kernel/soak.sh) runs load/unload
 * cycles and runtime mode/frequency toggles of eekbp under UDP round trips
 * from the guest to the host, and prints its numbers. Not part of `make
 * test`. Arguments: cycles toggles [kernel...] (kernels default to the
 * matrix). Exits 1 when any kernel's soak failed.
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SoakMain <cycles> <toggles> [kernel...]");
            System.exit(2);
        }
        int cycles = Integer.parseInt(args[0]);
        int toggles = Integer.parseInt(args[1]);
        List<Kernel> kernels = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            kernels.add(Kernel.of(args[i]));
        }
        if (kernels.isEmpty()) {
            kernels.addAll(Kernel.matrix());
        }
        List<String> failed = new ArrayList<>();
        for (Kernel k : kernels) {
            if (!soak(k.requireBuilt(), cycles, toggles)) {
                failed.add(k.version());
            }
        }
        System.out.println("eekbp soak: " + (failed.isEmpty() ? "passed on every kernel"
                : "FAILED on " + String.join(", ", failed)));
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** One boot; its timeout allows 20 s per cycle and 1 s per toggle. */
    private static boolean soak(Kernel kernel, int cycles, int toggles) throws Exception {
        Duration timeout = Duration.ofSeconds(300L + 20L * cycles + toggles);
        GuestSpec spec = GuestSpec.builder(kernel).name("soak")
                .scriptFile(KernelGuests.script("soak.sh"))
                .smp(2).memoryMb(1024).nic(Nic.VIRTIO)
                .env("SOAK_CYCLES", Integer.toString(cycles))
                .env("SOAK_TOGGLES", Integer.toString(toggles))
                .timeout(timeout)
                .build();
        System.out.printf("eekbp soak: %s, %d load/unload cycles, %d toggles (limit %d min)%n",
                kernel.version(), cycles, toggles, timeout.toMinutes());
        long t0 = System.nanoTime();
        GuestResult r;
        Path hostLog = Files.createTempFile("eekbp-soak-host-", ".log");
        try (RunningGuest g = Guest.start(spec)) {
            g.hostSpawn(hostLog, "bash", KernelGuests.script("datapath-host.sh").toString(),
                    g.results().toString(), g.guestAddress(), g.tap(), "1");
            r = g.await();
        }
        Files.deleteIfExists(hostLog);
        long secs = (System.nanoTime() - t0) / 1_000_000_000L;
        for (String line : r.serialLog().split("\n")) {
            if (line.startsWith("SOAK: ") || line.startsWith("TEST: ")) {
                System.out.println("  " + kernel.version() + ": " + line.strip());
            }
        }
        boolean ok = r.exitCode() == 0 && !r.timedOut() && !r.testLines().isEmpty()
                && r.failedTests().isEmpty();
        System.out.printf("  %s: %s in %d s (%s); serial log %s%n", kernel.version(),
                ok ? "passed" : "FAILED", secs, r, r.logFile());
        return ok;
    }
}
