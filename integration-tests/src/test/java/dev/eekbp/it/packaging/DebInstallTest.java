package dev.eekbp.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packages of `make deb` and their service in one systemd guest per
 * kernel: dpkg -i as an operator would, modules built by DKMS on the host
 * for that kernel (a DKMS build under TCG takes minutes) and loaded with
 * `dkms ldtarball` + `dkms install`; under systemd the unit's READY,
 * status, watchdog, a frequency-control toggle by config save and by
 * `systemctl reload` under UDP ping-pong, kill -9 then adopt, stop restoring
 * the machine; systemd-analyze security with and without the hardening;
 * upgrade to the packages repacked as a higher version with an edited
 * config; purge while running. Then every metric the shipped dashboard and
 * alert rules use must be in the scrape the packaged agent served.
 *
 * make test runs it on the 6.12 (about 9 min on this 2-core TCG machine),
 * make deb-test (-Deekbp.packaging=true) on a 6.1 and the 6.12.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebInstallTest {
    /** make test: the 6.12; make deb-test (-Deekbp.packaging=true): a 6.1 and the 6.12. */
    private static final List<String> KERNELS = Boolean.getBoolean("eekbp.packaging")
            ? List.of("6.1.0-56-amd64", "6.12.117+deb12-amd64")
            : List.of("6.12.117+deb12-amd64");
    private static final Map<String, Path> SCRAPES = new ConcurrentHashMap<>();
    private static Path debDir;
    private static Path upDir;
    private static String version;
    private static String upVersion;

    static List<Kernel> kernels() {
        List<String> matrix = Kernel.matrix().stream().map(Kernel::version).toList();
        return KERNELS.stream().filter(matrix::contains).map(Kernel::of).toList();
    }

    /** Runs a host command; fails with its output unless it exits 0 in time. */
    private static String run(Duration limit, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            return "";
                        }
                    });
            if (!p.waitFor(limit.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " still running after " + limit);
            }
            String text = out.get();
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " failed (" + p.exitValue() + "):\n" + text);
            }
            return text.strip();
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", argv), e);
        }
    }

    /** The packages of `make deb`, and the same packages repacked as a higher version. */
    @BeforeAll
    static void packages() {
        Path root = Kernel.repoRoot();
        version = run(Duration.ofSeconds(30), "dpkg-parsechangelog", "-l",
                root.resolve("debian/changelog").toString(), "-SVersion");
        debDir = root.resolve("build/deb");
        for (String f : List.of("eekbp_" + version + "_amd64.deb", "eekbp-dkms_" + version + "_all.deb")) {
            assertThat(debDir.resolve(f)).as("package from 'make deb'").isRegularFile();
        }
        upVersion = version + "+it1";
        upDir = root.resolve("integration-tests/target/deb-upgrade");
        if (newer(upDir.resolve("eekbp_" + upVersion + "_amd64.deb"), debDir.resolve("eekbp_" + version + "_amd64.deb"))
                && newer(upDir.resolve("eekbp-dkms_" + upVersion + "_all.deb"),
                        debDir.resolve("eekbp-dkms_" + version + "_all.deb"))) {
            return; // repacked from these packages already
        }
        long t0 = System.nanoTime();
        run(Duration.ofMinutes(10), root.resolve("packaging/deb-reversion.sh").toString(), debDir.toString(), version,
                upDir.toString(), upVersion);
        System.out.printf("eekbp-deb-it: repacked the packages as %s in %d s%n", upVersion,
                (System.nanoTime() - t0) / 1_000_000_000L);
    }

    /** True when {@code a} exists and was written after {@code b}. */
    private static boolean newer(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path prebuild(Kernel k, Path deb, String v) {
        Path out = Kernel.repoRoot().resolve("integration-tests/target/dkms").resolve(k.version())
                .resolve("eekbp-" + v + ".tar.gz");
        if (newer(out, deb)) {
            return out;
        }
        run(Duration.ofMinutes(10), Kernel.repoRoot().resolve("packaging/dkms-prebuild.sh").toString(),
                deb.toString(), k.version(), k.cacheDir().resolve("build").toString(), out.toString());
        return out;
    }

    private static String script() throws IOException {
        try (InputStream in = DebInstallTest.class.getResourceAsStream("deb-install.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Round N of UDP ping-pong from the host, as long as the guest asks ($RESULTS/traffic-N holds seconds). */
    private static void traffic(RunningGuest g, String round) throws IOException {
        Path start = g.awaitResultFile("traffic-" + round, Duration.ofMinutes(20));
        int seconds = Integer.parseInt(Files.readString(start).strip());
        ExecResult r = g.hostExec(Duration.ofSeconds(seconds + 60L), "sockperf", "ping-pong", "-i",
                g.guestAddress(), "-p", "11111", "-t", Integer.toString(seconds), "--mps", "200");
        Files.writeString(g.results().resolve("sockperf-" + round + ".log"), r.stdout() + r.stderr());
        Files.writeString(g.results().resolve("traffic-" + round + "-done"), "");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void installUpgradePurgeInSystemdGuest(Kernel kernel) throws Exception {
        Kernel k = kernel.requireBuilt();
        long t0 = System.nanoTime();
        Path dkmsV = prebuild(k, debDir.resolve("eekbp-dkms_" + version + "_all.deb"), version);
        // the upgrade's sources are the same (repacked): its modules too, relabeled
        Path dkmsUp = dkmsV.resolveSibling("eekbp-" + upVersion + ".tar.gz");
        if (!newer(dkmsUp, dkmsV)) {
            run(Duration.ofMinutes(2), Kernel.repoRoot().resolve("packaging/dkms-prebuild.sh").toString(),
                    "--as-version", upVersion, dkmsV.toString(), dkmsUp.toString());
        }
        System.out.printf("eekbp-deb-it: DKMS builds for %s in %d s%n", k, (System.nanoTime() - t0) / 1_000_000_000L);
        // The guest's module tree: only what it loads (DKMS's depmod -a on the
        // full tree reads 100-400 MB over 9p per install/remove under TCG).
        Path trim = Kernel.repoRoot().resolve("integration-tests/target/kmod-trim").resolve(k.version());
        run(Duration.ofMinutes(2), "bash", Kernel.repoRoot()
                .resolve("integration-tests/src/test/resources/dev/eekbp/it/packaging/trim-modules.sh").toString(),
                k.modulesDir().toString(), k.version(), trim.toString(), "cpufreq_userspace", "veth");
        GuestSpec spec = GuestSpec.builder(k).name("deb").script(script()).systemd()
                .env("EEKBP_KMODDIR", trim.resolve("lib/modules").resolve(k.version()).toString())
                .nic(Nic.VIRTIO).smp(2).memoryMb(1536).timeout(Duration.ofMinutes(40))
                .env("DEB_DIR", debDir.toString()).env("UP_DIR", upDir.toString())
                .env("V", version).env("UP", upVersion)
                .env("DKMS_V", dkmsV.toString()).env("DKMS_UP", dkmsUp.toString()).build();
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            traffic(g, "1");
            traffic(g, "2");
            r = g.await();
        }
        Path metrics = r.path("metrics");
        System.out.printf("eekbp-deb-it: %s: guest %d s, %s%n", k, r.wallTime().toSeconds(),
                Files.isRegularFile(metrics) ? Files.readString(metrics).replace('\n', ' ') : "no metrics");
        // the guest's step times and systemd-analyze security of the unit with and without its hardening
        r.serialLog().lines().filter(l -> l.startsWith("T+") || l.startsWith("exposure:"))
                .forEach(l -> System.out.printf("eekbp-deb-it: %s: %s%n", k, l));
        r.assertTestsPassed();
        SCRAPES.put(k.version(), r.path("scrape.txt"));
    }

    @Order(2)
    @Test
    void everyMetricOfDashboardAndRulesIsInTheRealScrape() throws Exception {
        assertThat(SCRAPES).as("a scrape of the packaged agent (installUpgradePurgeInSystemdGuest)").isNotEmpty();
        Path m = Kernel.repoRoot().resolve("monitoring");
        Set<String> used = MonitoringMetrics.used(m.resolve("prometheus/eekbp-alerts.yml"),
                m.resolve("grafana/dashboards/eekbp.json"));
        // Series a TCG guest cannot have: no RAPL/BMC (power, energy), and the
        // guest config sets no probe_target (round trips, loss).
        Set<String> needHardware = Set.of("eekbp_power_watts", "eekbp_energy_joules_total",
                "eekbp_energy_per_packet_joules", "eekbp_power_per_polling_thread_watts", "eekbp_power_source_up",
                "eekbp_probe_rtt_quantile_seconds", "eekbp_probe_rtt_seconds_bucket", "eekbp_probe_lost_total",
                "eekbp_probe_sent_total");
        for (Map.Entry<String, Path> e : SCRAPES.entrySet()) {
            Set<String> missing = MonitoringMetrics.missing(used, Files.readString(e.getValue()));
            missing.removeAll(needHardware);
            assertThat(missing)
                    .as("metrics the dashboard or alert rules use but the agent on %s does not export", e.getKey())
                    .isEmpty();
        }
    }
}
