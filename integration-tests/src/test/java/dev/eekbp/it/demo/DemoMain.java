package dev.eekbp.it.demo;

import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;

/**
 * `make demo`: boots one guest, lets the agent run EE-KBP from the default
 * config, sends UDP round trips from the host side, and prints what happened.
 */
public final class DemoMain {
    private static final Duration TRAFFIC = Duration.ofSeconds(15);

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        String kver = args.length > 0 ? args[0] : "6.1.0-56-amd64";
        Kernel kernel = Kernel.of(kver).requireBuilt();
        GuestSpec spec = GuestSpec.builder(kernel).name("demo").script(script())
                .smp(2).memoryMb(1536).nic(Nic.VIRTIO).kernelArgs("loglevel=4").timeout(Duration.ofMinutes(8)).build();
        long t0 = System.nanoTime();
        say("booting Debian " + kver + " under QEMU (TCG, 2 vCPUs, virtio-net on a tap in a private netns)");
        GuestResult result;
        try (RunningGuest g = Guest.start(spec)) {
            Thread tail = Thread.ofVirtual().start(() -> follow(g));
            g.awaitResultFile("ready", Duration.ofMinutes(6));
            say("host: " + TRAFFIC.toSeconds() + " s of UDP round trips (sockperf ping-pong) to "
                    + g.guestAddress());
            ExecResult ping = g.hostExec(TRAFFIC.plusSeconds(60), "sockperf", "ping-pong", "-i",
                    g.guestAddress(), "-p", "11111", "-t", Long.toString(TRAFFIC.toSeconds()),
                    "--mps=200", "-m", "64");
            for (String line : ping.stdout().split("\n")) {
                if (line.contains("Summary") || line.contains("percentile 99.00")
                        || line.contains("percentile 50.00") || line.contains("<MAX>")
                        || line.contains("ReceivedMessages")) {
                    say("host:   " + line.replaceFirst("^sockperf: ", "").strip());
                }
            }
            Files.writeString(g.results().resolve("host-done"), "");
            result = g.await();
            tail.join(Duration.ofSeconds(5));
        }
        long secs = (System.nanoTime() - t0) / 1_000_000_000L;
        if (result.exitCode() != 0) {
            say("FAILED (guest exit " + result.exitCode() + "); serial log: " + result.logFile());
            System.exit(1);
        }
        say("done in " + secs + " s; guest results in " + result.results());
    }

    private static String script() throws IOException {
        try (InputStream in = DemoMain.class.getResourceAsStream("/guest/demo/demo-guest.sh")) {
            return new String(Objects.requireNonNull(in, "demo-guest.sh").readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }

    /** Prints the guest's "demo:" lines as they reach the serial log. */
    private static void follow(RunningGuest g) {
        int shown = 0;
        while (g.isAlive()) {
            shown = print(g.serialLog(), shown);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
        print(g.serialLog(), shown);
    }

    private static int print(String log, int from) {
        int end = log.lastIndexOf('\n') + 1;
        if (end <= from) {
            return from;
        }
        for (String line : log.substring(from, end).split("\n")) {
            int at = line.indexOf("demo: ");
            if (at >= 0) {
                System.out.println("guest: " + line.substring(at + 6).stripTrailing());
            }
        }
        return end;
    }

    private static void say(String s) {
        System.out.println(s);
    }
}
