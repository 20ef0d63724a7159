package dev.eekbp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.testutil.FakeSys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionNamesAbi() {
        Run r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("eekbp 0.1.0-SNAPSHOT").contains("kernel ABI 1");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"run", "status", "check", "apply", "unload", "bench"}) {
            Run r = run(sub, "--help");
            assertThat(r.code()).as(sub + " --help").isZero();
            assertThat(r.out()).as(sub + " --help").contains("Usage: eekbp " + sub).contains("--config");
        }
    }

    @Test
    void versionAndPowerHaveHelp() {
        assertThat(run("version", "--help").code()).isZero();
        assertThat(run("version", "--help").out()).contains("Usage: eekbp version");
        assertThat(run("power", "--help").out()).contains("Usage: eekbp power").contains("--rapl");
        assertThat(run("plot", "--help").out()).contains("Usage: eekbp plot").contains("--out");
    }

    @Test
    void commonOptionsWorkBeforeTheSubcommand(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\ncpus = \"1\"\n");
        Run r = run("--config", f.toString(), "--insecure-config", "--sysfs-root", sys.root().toString(), "check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(f + " is valid for this machine");
        // after the subcommand wins
        Path bad = Files.writeString(dir.resolve("bad.toml"), "[kernel]\nquota = 0\n");
        assertThat(run("--config", f.toString(), "--insecure-config", "--sysfs-root", sys.root().toString(),
                "check", "--config", bad.toString()).code()).isEqualTo(2);
    }

    @Test
    void checkReportsWhatThisMachineLacks(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\nmodule_dir = \"" + dir.resolve("none")
                + "\"\n[telemetry]\nrapl = \"powercap\"\nipmi = \"/dev/ipmi7\"\n");
        Run r = run("check", "--insecure-config", "--config", f.toString(), "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("module eekbp not found").contains("telemetry.rapl = \"powercap\"")
                .contains("telemetry.ipmi = \"/dev/ipmi7\": no such device");
    }

    @Test
    void dryRunWithErrorsExitsNonzero(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\nmodule_dir = \"" + dir.resolve("none")
                + "\"\n");
        Run r = run("apply", "--dry-run", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("module eekbp not found");
    }

    @Test
    void shippedConfigMovesNoIrq(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path shipped = Path.of("..", "packaging", "eekbp.toml");
        Run r = run("apply", "--dry-run", "--insecure-config", "--config", shipped.toString(), "--sysfs-root",
                sys.root().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("IRQ 24").doesNotContain("IRQ 25")
                .contains("IRQ affinity left alone: no [kernel] devices named");
        Path all = Files.writeString(dir.resolve("all.toml"), "[placement]\nirq_affinity = \"all\"\n");
        assertThat(run("apply", "--dry-run", "--insecure-config", "--config", all.toString(), "--sysfs-root",
                sys.root().toString()).out()).contains("IRQ 24 (eth0) affinity: \"0-1\" -> \"0\"");
    }

    @Test
    void statusJsonAndHealth(@TempDir Path dir) {
        FakeSys sys = new FakeSys(dir).machine().loadedModule();
        Run r = run("status", "--json", "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out().strip()).startsWith("{\"module\":{\"loaded\":true,\"abi_version\":\"1\"")
                .contains("\"running\":false").contains("{\"cpu\":1,\"governor\":\"schedutil\",\"khz\":2000000}")
                .endsWith("}").doesNotContain("\n");
        sys.file("sys/kernel/eekbp/enabled", "1\n");
        r = run("status", "--json", "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"running\":true,\"problem\":null");
        // a cumulative livepatch replaced ours: unhealthy
        sys.file("sys/kernel/livepatch/eekbp_livepatch/enabled", "0\n");
        r = run("status", "--no-inventory", "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("health: unhealthy: EE-KBP is enabled but livepatch eekbp_livepatch is"
                + " disabled");
    }

    @Test
    void unloadWithNothingLoadedSaysSo(@TempDir Path dir) {
        FakeSys sys = new FakeSys(dir).machine();
        Run r = run("unload", "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("nothing to unload: eekbp is not loaded and there is no restore data");
    }

    @Test
    void unknownOptionIsBadInput() {
        assertThat(run("status", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void invalidConfigIsBadInputWithLineAndKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\nquota = 0\n");
        Run r = run("apply", "--dry-run", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":2: kernel.quota: must be in 1..1024, got 0");
    }

    @Test
    void dryRunListsChangesAndChangesNothing(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\ncpus = \"1\"\nquota = 8\n"
                + "devices = [\"eth0\"]\n");
        Run r = run("apply", "--dry-run", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                sys.root().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("cpu1 governor: \"schedutil\" -> \"userspace\"")
                .contains("/sys/kernel/eekbp/mode: \"napi\" -> \"eekbp\"")
                .contains("/sys/kernel/eekbp/quota: \"64\" -> \"8\"")
                .contains("IRQ 24 (eth0) affinity: \"0-1\" -> \"1\"");
        assertThat(sys.read("sys/kernel/eekbp/quota")).isEqualTo("64");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
    }

    @Test
    void statusOfFakeTree(@TempDir Path dir) {
        FakeSys sys = new FakeSys(dir).machine().loadedModule();
        Run r = run("status", "--no-inventory", "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3); // loaded but enabled=0
        assertThat(r.out()).contains("module: eekbp loaded, ABI 1").contains("livepatch: enabled")
                .contains("cpu0: governor schedutil, 2000000 kHz").contains("stats: cpu=0 packets=0");
        sys.file("sys/kernel/eekbp/enabled", "1\n");
        assertThat(run("status", "--no-inventory", "--sysfs-root", sys.root().toString()).code()).isZero();
    }

    @Test
    void runWithoutModuleFilesIsUnexpectedState(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\nmodule_dir = \"" + dir.resolve("none")
                + "\"\n");
        Run r = run("run", "--insecure-config", "--config", f.toString(), "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("module eekbp not found");
    }

    @Test
    void applyWithoutRunningAgentIsUnexpectedState(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "");
        Run r = run("apply", "--insecure-config", "--config", f.toString(), "--sysfs-root", sys.root().toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no running agent");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "--modes|napi,turbo|unknown mode 'turbo'",
        "--modes|eekbp,eekbp|listed twice",
        "--reps|0|--reps must be in 1..100, got 0",
        "--cell|500ms|--cell must be between 1s and 1h",
        "--cell|ten|--cell must be a number with ms, s or m",
        "--settle|11m|--settle must be at most 10m",
        "--rate|0|--rate must be round trips per second in 1..10000",
        "--rate|100,x|got 'x'",
        "--rate|100,100|--rate lists 100 twice",
        "--modes|napi,busy-poll|choose from napi,threaded,threaded-defer,busy-read,kbp,eekbp,eekbp-freq,adaptive,",
        "--target|localhost|--target must be HOST:PORT",
        "--target|localhost:70000|--target port must be in 1..65535",
        "--target|no-such-host.invalid:7|does not resolve"})
    void benchRejectsBadOptionsBeforeTouchingAnything(String option, String value, String message,
            @TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\ncpus = \"1\"\n");
        Run r = run("bench", "--insecure-config", "--config", f.toString(), "--sysfs-root", sys.root().toString(),
                option, value);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(sys.read("sys/kernel/eekbp/mode")).isEqualTo("napi");
    }

    @Test
    void benchRefusesModesWhoseKnobsThisKernelLacks(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Files.createDirectories(sys.root().resolve("sys/class/net/eth0"));
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n");
        Run r = run("bench", "--insecure-config", "--config", f.toString(), "--sysfs-root", sys.root().toString(),
                "--modes", "napi,threaded");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("mode threaded needs /sys/class/net/eth0/threaded")
                .contains("drop those modes from --modes");
        assertThat(sys.read("sys/kernel/eekbp/mode")).isEqualTo("napi");
    }

    @Test
    void plotRejectsWhatIsNotBenchJson(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("x.json"), "{\"kernel\":\"6.1\"}");
        Run r = run("plot", "--out", dir.resolve("png").toString(), bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not an 'eekbp bench --json' file").contains("no \"cells\" array");
        Run missing = run("plot", "--out", dir.resolve("png").toString(), dir.resolve("none.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        assertThat(dir.resolve("png")).doesNotExist();
    }

    @Test
    void benchRefusesWhileTheAgentRuns(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "[kernel]\ncpus = \"1\"\n");
        Process agent = fakeAgent("eekbp");
        try {
            agentState(sys.root(), agent.pid());
            Run r = run("bench", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                    sys.root().toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("is running; the bench switches modes itself");
            assertThat(sys.read("sys/kernel/eekbp/mode")).isEqualTo("napi");
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    /** A process standing in for a running agent; its command line names {@code name}. */
    static Process fakeAgent(String name) throws Exception {
        return new ProcessBuilder("bash", "-c", "sleep 60; true", name).start();
    }

    static void agentState(Path root, long pid) throws Exception {
        var st = new dev.eekbp.agent.service.RestoreState();
        st.pid(pid);
        st.startTime(dev.eekbp.agent.service.AgentProcess.startTime(pid));
        new dev.eekbp.agent.service.StateFile(root.resolve("run/eekbp/state.json")).write(st);
    }

    @Test
    void applyNeverSignalsAProcessThatReusedTheAgentsPid(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "");
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            agentState(sys.root(), other.pid());
            Run r = run("apply", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                    sys.root().toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("is not the eekbp agent");
            assertThat(other.isAlive()).as("unrelated process not signalled").isTrue();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void applySignalsTheRunningAgent(@TempDir Path dir) throws Exception {
        FakeSys sys = new FakeSys(dir.resolve("root")).machine().loadedModule();
        Path f = Files.writeString(dir.resolve("e.toml"), "");
        Process agent = fakeAgent("eekbp");
        try {
            agentState(sys.root(), agent.pid());
            Run r = run("apply", "--insecure-config", "--config", f.toString(), "--sysfs-root",
                    sys.root().toString());
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("asked agent pid " + agent.pid() + " to reload");
            assertThat(agent.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // SIGHUP ends bash
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }
}
