package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A booted guest. close() always kills QEMU (process tree), deletes the
 * namespace and its tap, and is also run from a JVM shutdown hook.
 */
public final class RunningGuest implements AutoCloseable {

    /** Prefix of every namespace and QEMU -name this harness creates. */
    public static final String NAME_PREFIX = "eekbp-it-p";
    static final String EXIT_FILE = ".eekbp-exit-code";
    private static final Pattern EXIT_LINE = Pattern.compile("^EEKBP-EXIT: (\\d+)$",
            Pattern.MULTILINE);
    private static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(2);

    private final GuestSpec spec;
    private final String uniqueId;
    private final String id;
    private final Path workDir;
    private final Path results;
    private final Path logFile;
    private final NetNamespace netns;
    private final Process qemu;
    private final long startNanos;
    private final long deadlineNanos;
    private final List<Process> spawned = new ArrayList<>();
    private GuestResult result;

    private RunningGuest(GuestSpec spec, String uniqueId, String id, Path workDir, Path results,
            Path logFile, NetNamespace netns, Process qemu, long startNanos) {
        this.spec = spec;
        this.uniqueId = uniqueId;
        this.id = id;
        this.workDir = workDir;
        this.results = results;
        this.logFile = logFile;
        this.netns = netns;
        this.qemu = qemu;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + spec.timeout().toNanos();
    }

    static RunningGuest launch(GuestSpec spec) {
        Kernel k = spec.kernel().requireBuilt();
        StaleGuests.sweepOnce();
        Path initrd = Initramfs.forKernel(k);
        String rand = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        String uniqueId = NAME_PREFIX + ProcessHandle.current().pid() + "-" + rand;
        String id = spec.name() + "-" + k.version() + "-" + uniqueId;
        Path target = k.root().resolve("integration-tests/target");
        Path workDir = target.resolve("guests").resolve(id);
        Path results = workDir.resolve("results");
        Path logFile = target.resolve("guest-logs").resolve(id + ".log");
        try {
            Files.createDirectories(results);
            Files.createDirectories(logFile.getParent());
            Files.writeString(workDir.resolve("script.sh"), spec.script());
            Files.writeString(workDir.resolve("env.sh"), envFile(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare guest folder " + workDir, e);
        }
        NetNamespace ns = spec.nic() == Nic.NONE ? null
                : NetNamespace.create(uniqueId, "ekt" + rand, spec.nic().queues() > 1);
        List<String> argv = new ArrayList<>(List.of("timeout", "-k", "5",
                Long.toString(spec.timeout().toSeconds() + 30)));
        argv.addAll(QemuCommand.build(spec, id, initrd, workDir, results,
                ns == null ? null : ns.tap()));
        if (ns != null) {
            argv = ns.exec(argv);
        }
        Process p;
        long t0 = System.nanoTime();
        try {
            Files.writeString(workDir.resolve("qemu.cmdline"), String.join(" ", argv) + "\n");
            p = new ProcessBuilder(argv).redirectInput(HostCommand.NULL_INPUT)
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            if (ns != null) {
                ns.close();
            }
            throw new UncheckedIOException("cannot start QEMU for " + id, e);
        }
        RunningGuest g = new RunningGuest(spec, uniqueId, id, workDir, results, logFile, ns, p, t0);
        Cleanup.register(g);
        return g;
    }

    private static String envFile(GuestSpec spec) {
        Kernel k = spec.kernel();
        StringBuilder sb = new StringBuilder();
        Map<String, String> base = new java.util.LinkedHashMap<>();
        base.put("RESULTS", "/results");
        base.put("KVER", k.version());
        base.put("MODDIR", k.builtModulesDir().toString());
        base.put("EEKBP_ROOT", k.root().toString());
        base.put("EEKBP_KMODDIR", k.modulesDir().toString());
        base.put("EEKBP_NIC", spec.nic().guestName());
        base.put("EEKBP_GUEST_ADDR", NetNamespace.GUEST_ADDRESS);
        base.put("EEKBP_HOST_ADDR", NetNamespace.HOST_ADDRESS);
        base.putAll(spec.env());
        base.forEach((key, v) -> sb.append("export ").append(key).append("='")
                .append(v.replace("'", "'\\''")).append("'\n"));
        return sb.toString();
    }

    /** Unique name part shared by the netns, the tap suffix and QEMU's -name. */
    public String uniqueId() {
        return uniqueId;
    }

    /** Full guest id (log file name, QEMU -name). */
    public String id() {
        return id;
    }

    /** The namespace the tap and hostExec live in, or null without a NIC. */
    public String netns() {
        return netns == null ? null : netns.name();
    }

    public String tap() {
        return netns == null ? null : netns.tap();
    }

    public String guestAddress() {
        return NetNamespace.GUEST_ADDRESS;
    }

    public String hostAddress() {
        return NetNamespace.HOST_ADDRESS;
    }

    /** Host folder the guest sees as $RESULTS (the host may write into it too). */
    public Path results() {
        return results;
    }

    public Path logFile() {
        return logFile;
    }

    /** The serial log so far. */
    public String serialLog() {
        return SerialLog.read(logFile);
    }

    public boolean isAlive() {
        return qemu.isAlive();
    }

    /**
     * Waits until the guest creates $RESULTS/name. Fails with the serial log
     * when the guest ends first or the time runs out.
     */
    public Path awaitResultFile(String name, Duration timeout) {
        Path file = results.resolve(name);
        long until = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (!qemu.isAlive()) {
                throw finish(false).failure("guest ended before writing $RESULTS/" + name);
            }
            if (System.nanoTime() - until > 0) {
                throw new GuestResult(id, GuestResult.NO_EXIT_CODE, false, results, logFile,
                        elapsed()).failure("no $RESULTS/" + name + " after "
                                + timeout.toSeconds() + " s");
            }
            Processes.sleep(100);
        }
        return file;
    }

    /** Runs a host command inside the guest's namespace (2 minute limit). */
    public ExecResult hostExec(String... argv) {
        return hostExec(DEFAULT_EXEC_TIMEOUT, argv);
    }

    public ExecResult hostExec(Duration timeout, String... argv) {
        return HostCommand.run(inNamespace(List.of(argv)), timeout);
    }

    /**
     * Starts a host command in the namespace in the background (e.g. a load
     * generator); it is killed on close() if still running.
     */
    public synchronized Process hostSpawn(Path output, String... argv) {
        try {
            Process p = new ProcessBuilder(inNamespace(List.of(argv)))
                    .redirectInput(HostCommand.NULL_INPUT).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            spawned.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + List.of(argv), e);
        }
    }

    private List<String> inNamespace(List<String> argv) {
        return netns == null ? argv : netns.exec(argv);
    }

    /** Waits for the guest to end (killing it at the spec's timeout) and cleans up. */
    public GuestResult await() {
        boolean timedOut = false;
        try {
            long left = deadlineNanos - System.nanoTime();
            if (!qemu.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                timedOut = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        GuestResult r = finish(timedOut);
        close();
        return r;
    }

    private synchronized GuestResult finish(boolean timedOut) {
        if (result != null) {
            return result;
        }
        boolean killed = qemu.isAlive();
        if (killed) {
            Processes.killTree(qemu.toHandle());
        }
        Duration wall = elapsed();
        int code = exitCode();
        result = new GuestResult(id, code, timedOut && code == GuestResult.NO_EXIT_CODE,
                killed && !timedOut, results, logFile, wall);
        System.out.printf("eekbp-guest: %s ended after %d ms: %s%n", id, wall.toMillis(), result);
        return result;
    }

    private int exitCode() {
        Matcher m = EXIT_LINE.matcher(serialLog());
        int code = GuestResult.NO_EXIT_CODE;
        while (m.find()) {
            code = Integer.parseInt(m.group(1));
        }
        if (code != GuestResult.NO_EXIT_CODE) {
            return code;
        }
        try {
            Path f = results.resolve(EXIT_FILE);
            if (Files.exists(f)) {
                return Integer.parseInt(Files.readString(f).strip());
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through: no trustworthy exit code.
        }
        return GuestResult.NO_EXIT_CODE;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Kills QEMU and spawned host commands, deletes the namespace; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            for (Process p : spawned) {
                if (p.isAlive()) {
                    Processes.killTree(p.toHandle());
                }
            }
            spawned.clear();
        }
        finish(false);
        try {
            if (netns != null) {
                netns.close();
            }
        } finally {
            Cleanup.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "guest " + id;
    }
}
