package dev.eekbp.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The harness reports failures: a failing script, a guest killed at its
 * timeout, a guest closed while running; none leaves anything behind.
 */
class GuestFailureTest {

    private static Kernel kernel() {
        return Kernel.matrix().getFirst();
    }

    @Test
    void failingScriptFailsWithSerialLog() throws Exception {
        // The canary only exists once the guest shell has expanded it.
        GuestSpec spec = GuestSpec.builder(kernel()).name("failing")
                .script("echo \"canary-$((6 * 7)) from the guest\"\n"
                        + "echo 'TEST: doomed [FAIL]'\nexit 3\n")
                .nic(Nic.VIRTIO).timeout(Duration.ofMinutes(3)).build();
        GuestResult r;
        String id;
        String ns;
        String tap;
        try (RunningGuest g = Guest.start(spec)) {
            id = g.uniqueId();
            ns = g.netns();
            tap = g.tap();
            r = g.await();
        }
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThatThrownBy(r::assertSuccess).isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited 3")
                .hasMessageContaining("canary-42 from the guest")
                .hasMessageContaining(r.logFile().toString());
        assertThatThrownBy(r::assertTestsPassed).isInstanceOf(AssertionError.class)
                .hasMessageContaining("doomed");
        assertThat(Files.readString(r.logFile())).contains("canary-42");
        Leftovers.assertNone(id, ns, tap);
    }

    @Test
    void timeoutKillsGuestAndReportsIt() throws Exception {
        GuestSpec spec = GuestSpec.builder(kernel()).name("timeout").script("sleep 600\n")
                .nic(Nic.VIRTIO).timeout(Duration.ofSeconds(6)).build();
        GuestResult r;
        String id;
        String ns;
        String tap;
        try (RunningGuest g = Guest.start(spec)) {
            id = g.uniqueId();
            ns = g.netns();
            tap = g.tap();
            r = g.await();
            assertThat(g.isAlive()).isFalse();
        }
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(GuestResult.NO_EXIT_CODE);
        assertThatThrownBy(r::assertSuccess).isInstanceOf(AssertionError.class)
                .hasMessageContaining("timed out");
        Leftovers.assertNone(id, ns, tap);
    }

    @Test
    void closeWhileRunningLeavesNothing() throws Exception {
        GuestSpec spec = GuestSpec.builder(kernel()).name("close")
                .script("touch \"$RESULTS/ready\"\nsleep 600\n")
                .nic(Nic.VIRTIO).timeout(Duration.ofMinutes(3)).build();
        String id;
        String ns;
        String tap;
        Process spawned;
        try (RunningGuest g = Guest.start(spec)) {
            id = g.uniqueId();
            ns = g.netns();
            tap = g.tap();
            assertThat(Path.of("/run/netns", ns)).exists();
            g.awaitResultFile("ready", Duration.ofMinutes(2));
            assertThat(g.hostExec("ip", "-o", "addr", "show", "dev", tap).stdout())
                    .contains(g.hostAddress() + "/24");
            spawned = g.hostSpawn(g.results().resolve("spawned.log"), "sh", "-c",
                    "sleep 600; : " + id);
            assertThat(g.isAlive()).isTrue();
        }
        assertThat(spawned.isAlive()).isFalse();
        Leftovers.assertNone(id, ns, tap);
    }
}
