package dev.eekbp.it.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.eekbp.it.bench.EchoBinary;
import dev.eekbp.it.bench.LoadClient;
import dev.eekbp.it.bench.LoadDaemon;
import dev.eekbp.it.bench.LoadResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The paper's container configuration: a Docker engine inside an EE-KBP
 * guest, driven from the host by Testcontainers through a Unix socket bridged
 * to the guest's TCP API. An unmodified UDP echo container (FROM scratch)
 * receives host traffic through the guest's eth0, docker-proxy, bridge and
 * veth; EE-KBP's counters on the served CPU prove the receive path.
 * One kernel (the first of the matrix): ~4 minutes on an idle machine.
 */
class DockerInGuestTest {

    private static final int PUBLISHED_PORT = 7007;
    private static final int PPS = 200;
    private static final Duration TRAFFIC = Duration.ofSeconds(3);

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void udpEchoContainerReceivesThroughEeKbp() throws Exception {
        Kernel k = Kernel.matrix().get(0);
        Path root = k.root();
        Path target = root.resolve("integration-tests/target/container");
        Path context = prepareContext(root, target.resolve("image"));
        Path sock = Path.of(System.getenv().getOrDefault("DOCKER_HOST",
                "unix://" + target.resolve("docker.sock")).substring("unix://".length()));
        Files.createDirectories(sock.getParent());
        Files.deleteIfExists(sock);
        GuestSpec spec = GuestSpec.builder(k).name("container").script(resource("docker-guest.sh"))
                .smp(2).memoryMb(1536).nic(Nic.VIRTIO).timeout(Duration.ofMinutes(9)).build();
        LoadResult load;
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            g.awaitResultFile("ready", Duration.ofMinutes(6));
            g.hostSpawn(target.resolve("socat.log"), "socat",
                    "UNIX-LISTEN:" + sock + ",fork,unlink-early",
                    "TCP:" + g.guestAddress() + ":2375");
            Path loadSock = target.resolve("load.sock");
            Files.deleteIfExists(loadSock);
            g.hostSpawn(target.resolve("load-daemon.log"), javaBin(), "-XX:+UseSerialGC", "-cp",
                    classesDir(), LoadDaemon.class.getName(), loadSock.toString());
            awaitFile(sock, Duration.ofSeconds(30));
            // Built by the guest's engine from the host's context: FROM scratch, no registry.
            ImageFromDockerfile image = new ImageFromDockerfile("eekbp-echo", false)
                    .withFileFromPath(".", context);
            try (GenericContainer<?> echo = new GenericContainer<>(image)
                    .withCreateContainerCmdModifier(cmd -> cmd
                            .withExposedPorts(ExposedPort.udp(7))
                            .withHostConfig(cmd.getHostConfig().withPortBindings(new PortBinding(
                                    Ports.Binding.bindPort(PUBLISHED_PORT), ExposedPort.udp(7)))))
                    .waitingFor(Wait.forLogMessage(".*listening on udp port 7.*", 1)
                            .withStartupTimeout(Duration.ofMinutes(2)))) {
                echo.start();
                LoadClient client = new LoadClient(loadSock);
                client.awaitReady(Duration.ofSeconds(60));
                Files.createFile(g.results().resolve("measure"));
                g.awaitResultFile("measuring", Duration.ofSeconds(60));
                load = client.run(g.guestAddress(), PUBLISHED_PORT, PPS, 64, TRAFFIC);
                Files.createFile(g.results().resolve("stop"));
                g.awaitResultFile("counters.txt", Duration.ofSeconds(60));
                client.quit();
            }
            Files.createFile(g.results().resolve("done"));
            r = g.await();
        }
        String log = r.serialLog();
        assertThat(log).as("guest checks\n%s", log).doesNotContain("[FAIL]");
        assertThat(r.exitCode()).as("guest exit code\n%s", log).isZero();
        assertThat(load.sent()).isEqualTo((long) PPS * TRAFFIC.toSeconds());
        assertThat(load.received()).as("echoes from the container: %s", load)
                .isGreaterThanOrEqualTo(load.sent() * 9 / 10);

        Map<String, Long> c = counters(r.results().resolve("counters.txt"));
        long eth0 = c.get("after_eth0_rx") - c.get("before_eth0_rx");
        long bridge = c.get("after_veth_rx") - c.get("before_veth_rx");
        assertThat(eth0).as("guest eth0 received the traffic").isGreaterThanOrEqualTo(load.sent());
        assertThat(bridge).as("the container's replies crossed the docker0 bridge")
                .isGreaterThanOrEqualTo(load.received());
        assumeTrue(Files.readString(r.results().resolve("eekbp-present")).contains("eekbp=1"),
                "eekbp.ko / eekbp_livepatch.ko not built for " + k + ": EE-KBP part skipped");
        long polled = c.get("after_eekbp_packets") - c.get("before_eekbp_packets");
        long netRx = c.get("after_netrx_served") - c.get("before_netrx_served");
        assertThat(polled).as("EE-KBP polled the container traffic on the served CPU (%s)", c)
                .isGreaterThanOrEqualTo(load.sent() * 9 / 10);
        assertThat(netRx).as("NET_RX stays flat on the served CPU while EE-KBP serves it (%s)", c)
                .isLessThan(Math.max(10, load.sent() / 20));
    }

    private static Path prepareContext(Path root, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(EchoBinary.build(root), dir.resolve("udp-echo"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("Dockerfile"), resource("image/Dockerfile"));
        return dir;
    }

    private static Map<String, Long> counters(Path file) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.substring(eq + 1).isBlank()) {
                m.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).strip()));
            }
        }
        return m;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DockerInGuestTest.class.getResourceAsStream("/container/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /container/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void awaitFile(Path f, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(f)) {
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("no " + f + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classesDir() throws java.net.URISyntaxException {
        return Path.of(LoadDaemon.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
    }
}
