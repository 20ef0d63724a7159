package dev.eekbp.it.kernel;

import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The kernel tests' guest scripts (guest/kernel/) and the guest most of them boot. */
final class KernelGuests {

    private KernelGuests() {
    }

    /** A script of integration-tests/src/test/resources/guest/kernel. */
    static Path script(String name) {
        return Kernel.repoRoot().resolve("integration-tests/src/test/resources/guest/kernel")
                .resolve(name);
    }

    /** 2 vCPUs, 1 GiB, virtio-net, the performance governor, running guest script {@code script}. */
    static GuestSpec virtio(Kernel kernel, String name, String script, Duration timeout) {
        return GuestSpec.builder(kernel).name(name).scriptFile(script(script))
                .smp(2).memoryMb(1024).nic(Nic.VIRTIO)
                .kernelArgs("cpufreq.default_governor=performance")
                .timeout(timeout).build();
    }

    /**
     * Starts host script {@code name} (guest/kernel/) for guest g with the
     * guest's results folder and address, then {@code args}; returns its log,
     * a temp file the caller deletes.
     */
    static Path hostScript(RunningGuest g, String name, String... args) throws IOException {
        Path log = Files.createTempFile("eekbp-" + name.replace(".sh", "") + "-", ".log");
        String[] argv = new String[4 + args.length];
        argv[0] = "bash";
        argv[1] = script(name).toString();
        argv[2] = g.results().toString();
        argv[3] = g.guestAddress();
        System.arraycopy(args, 0, argv, 4, args.length);
        g.hostSpawn(log, argv);
        return log;
    }
}
