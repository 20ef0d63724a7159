package dev.eekbp.it.bench;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a profile's matrix in QEMU guests: per repetition every mode (module
 * loaded and unloaded between them inside one boot), per mode every traffic
 * condition, the softIRQ-competition cell and the RFC 2544 search.
 */
public final class BenchRunner {

    static final int SERVED_CPU = 0;
    static final int ECHO_PORT = 7;
    /** The forwarding topology's VM (netns "vm" behind the guest's bridge). */
    static final String FWD_ADDRESS = "198.18.0.3";
    private static final Duration RPC_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofMillis(1500);
    /** Health check after each mode's cells and each RFC 2544 search. */
    private static final double HEALTH_PPS = 100;
    private static final Duration HEALTH_RUN = Duration.ofSeconds(1);
    private static final double HEALTH_SHARE = 0.8;
    /** An RFC 2544 trial counts only when the generator offered this share of the asked rate. */
    static final double OFFERED_SHARE = 0.97;
    /** RFC 2544 trials per rate, the rate's verdict being their majority. */
    static final int RFC_VOTES = 3;
    /** A trial losing more than this share of what it sent is overload: no repeat. */
    static final double RFC_GROSS_LOSS = 0.05;

    private final Profile profile;
    private final Kernel kernel;
    private final PrintStream progress;
    private final List<Mode> modes;
    private final List<String> notes = new ArrayList<>();
    private final List<Cell> cells = new ArrayList<>();
    private final List<Throughput> throughput = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private int done;
    private int generatorLimited;
    private final List<String> stalls = new ArrayList<>();
    private int total;
    /** The conditions measured; with a sweep, known once the calibration ran. */
    private List<Condition> conds;
    private double sweepTop = Double.NaN;
    /** First rate of every RFC 2544 search. */
    private double rfcCeiling;

    public BenchRunner(Profile profile, Kernel kernel, PrintStream progress) {
        this(profile, kernel, progress, profile.modes());
    }

    /** Runs {@code requested} only, in that order within stock and module modes. */
    public BenchRunner(Profile profile, Kernel kernel, PrintStream progress, List<Mode> requested) {
        this.profile = profile;
        this.kernel = kernel;
        this.progress = progress;
        this.modes = availableModes(requested);
    }

    private List<Mode> availableModes(List<Mode> requested) {
        List<Mode> out = new ArrayList<>();
        Path mods = kernel.builtModulesDir();
        for (Mode m : requested) {
            if (m.usesModule() && !Files.exists(mods.resolve("eekbp.ko"))) {
                notes.add(m.label() + " skipped: " + mods.resolve("eekbp.ko")
                        + " missing (run 'make modules')");
                continue;
            }
            if ((m == Mode.EEKBP_FREQ || m == Mode.ADAPTIVE_FREQ)
                    && !Files.exists(mods.resolve("eekbp_testfreq.ko"))) {
                notes.add(m.label() + " skipped: no eekbp_testfreq.ko (test cpufreq driver)");
                continue;
            }
            out.add(m);
        }
        return out;
    }

    public BenchResults run() {
        Instant started = Instant.now();
        Path echo = EchoBinary.build(kernel.root());
        Profile.Passes ps = profile.passes();
        List<Condition> shape = profile.conditions();
        int forwarded = Profile.pick(shape, ps.forward()).size();
        int cellsPerMode = shape.size() + (profile.compete() ? 1 : 0) + forwarded
                + (ps.latencyCell() == null ? 0
                        : Profile.pick(shape, ps.latency()).size() + forwarded);
        int rfcReps = profile.rfcFirstRepOnly() ? 1 : profile.reps();
        total = modes.size() * (profile.reps() * cellsPerMode
                + rfcReps * profile.rfcFrames().size() * profile.rfcMaxRates())
                + (profile.sweep() == null ? 0 : profile.sweep().calibrationRates());
        conds = profile.sweep() == null ? profile.conditions() : null;
        rfcCeiling = profile.rfcMaxPps();
        hostFacts();
        if (profile.bootPerRep()) {
            for (int rep = 1; rep <= profile.reps(); rep++) {
                boot(echo, List.of(rep), rep == 1);
            }
        } else {
            List<Integer> reps = new ArrayList<>();
            for (int rep = 1; rep <= profile.reps(); rep++) {
                reps.add(rep);
            }
            boot(echo, reps, true);
        }
        machine.put("host load average at end", loadAvg());
        staticNotes();
        return new BenchResults(profile, kernel.version(), started,
                Duration.ofNanos(System.nanoTime() - startNanos), machine, modes,
                conds, cells, throughput, samples, notes);
    }

    /** A measured cell whose counters are read once the guest copied its snapshots. */
    private record Pending(String scenario, int rep, Mode mode, Condition condition,
            String before, String after, LoadResult load, boolean lat) {
    }

    /**
     * One guest boot with its load daemon. Closing it ends the guest and
     * resolves the cells measured in it (their snapshots come out at "finish").
     */
    private final class Session implements AutoCloseable {
        final RunningGuest g;
        final GuestRpc rpc;
        final LoadClient load;
        private final boolean keepSamples;

        Session(Path echo, List<Integer> reps, boolean keepSamples) {
            long budget = reps.size() * modes.size()
                    * (profile.conditions().size() * (profile.cell().toSeconds() + 6) + 120
                            + profile.rfcFrames().size() * profile.rfcMaxRates() * RFC_VOTES
                                    * (profile.rfcTrial().toSeconds() + 4));
            String script = resource("/guest/bench/bench-guest.sh");
            GuestSpec spec = GuestSpec.builder(kernel).name("bench").script(script).smp(2)
                    .memoryMb(1024).nic(Nic.VIRTIO)
                    .kernelArgs("cpufreq.default_governor=userspace")
                    .env("BENCH_ECHO", echo.toString())
                    .env("BENCH_PORT", Integer.toString(ECHO_PORT))
                    .env("BENCH_SERVED_CPU", Integer.toString(SERVED_CPU)).env("BENCH_APP_CPU", "1")
                    .env("BENCH_FWD_ADDR", FWD_ADDRESS)
                    .env("BENCH_DIAG", profile == Profile.OVERLOAD ? "1" : "0")
                    .env("BENCH_ECHO_RCVBUF", Long.toString(echoRcvbuf()))
                    .timeout(Duration.ofSeconds(Math.max(600, budget * 2))).build();
            say("booting guest %s for repetition(s) %s", kernel.version(), reps);
            this.keepSamples = keepSamples;
            this.g = Guest.start(spec);
            try {
                g.awaitResultFile("ready", Duration.ofMinutes(3));
                Path sock = Path.of("/tmp", "eekbp-bench-" + g.uniqueId() + ".sock");
                g.hostSpawn(g.results().resolve("load-daemon.log"), javaBin(), "-Xshare:auto",
                        "-XX:+UseSerialGC", "-cp", classesDir(), LoadDaemon.class.getName(),
                        sock.toString());
                load = new LoadClient(sock);
                load.awaitReady(Duration.ofSeconds(60));
                rpc = new GuestRpc(g);
                guestFacts(rpc.call(RPC_TIMEOUT, "info"));
                machine.putIfAbsent("accelerator", accelerator(g));
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
        }

        /** Still echoing? A short low-rate run that must come back almost whole. */
        boolean healthy() {
            LoadResult r = load.run(g.guestAddress(), ECHO_PORT, HEALTH_PPS, UdpLoad.MIN_PAYLOAD,
                    HEALTH_RUN);
            return r.received() >= HEALTH_SHARE * r.sent();
        }

        void mode(Mode m) {
            rpc.call(RPC_TIMEOUT, "mode", m.id());
            sleep(SETTLE); // let the switch (livepatch transition, thread start) fade out
        }

        @Override
        public void close() {
            try {
                load.quit();
                rpc.call(RPC_TIMEOUT, "finish");
                g.await();
                Path snaps = g.results().resolve("snap");
                for (Pending p : pending) {
                    cells.add(Cell.of(p.scenario(), p.rep(), p.mode(), p.condition(),
                            Snapshot.read(snaps.resolve(p.before()), SERVED_CPU),
                            Snapshot.read(snaps.resolve(p.after()), SERVED_CPU), p.load(),
                            SERVED_CPU, p.lat() ? GuestLatency.read(snaps.resolve(p.after()
                                    + ".lat")) : GuestLatency.NONE));
                }
                if (keepSamples) {
                    Path f = g.results().resolve("samples.txt");
                    if (Files.exists(f)) {
                        samples.addAll(Sample.parse(Files.readString(f)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                pending.clear();
                g.close();
            }
        }
    }

    private void boot(Path echo, List<Integer> reps, boolean keepSamples) {
        Session s = new Session(echo, reps, keepSamples);
        try {
            if (conds == null) {
                s = calibrate(s, echo, reps.get(0));
            }
            for (int rep : reps) {
                s = repetition(s, echo, rep);
            }
        } finally {
            s.close();
        }
    }

    /**
     * The sweep's top: an upward zero-loss search under stock NAPI at 64 B
     * before the first repetition; topShare of its rate, or the fallback.
     */
    private Session calibrate(Session s, Path echo, int rep) {
        Profile.Sweep sw = profile.sweep();
        s.mode(Mode.NAPI);
        Rfc2544Search.Outcome o = Rfc2544Search.ascend(sw.calibrationStartPps(),
                profile.rfcMaxPps(), sw.calibrationRates(), RFC_VOTES, pps -> {
                    LoadResult r = s.load.run(s.g.guestAddress(), ECHO_PORT, pps,
                            UdpLoad.MIN_PAYLOAD, sw.calibrationTrial());
                    return rfcTrial(pps, r);
                });
        done += sw.calibrationRates();
        sweepTop = sw.top(o.zeroLossPps());
        conds = profile.conditions(sweepTop);
        // twice the guest's limit is overload enough; the search halves from there
        rfcCeiling = Math.min(profile.rfcMaxPps(), Math.round(2 * sweepTop / sw.topShare()));
        machine.put("RFC 2544 ceiling", MarkdownReport.fmt(rfcCeiling) + " pps (twice the"
                + " calibrated zero-loss rate, at most " + MarkdownReport.fmt(profile.rfcMaxPps())
                + ")");
        String how = o.zeroLossPps() > 0
                ? MarkdownReport.fmt(100 * sw.topShare()) + " % of the zero-loss rate "
                        + MarkdownReport.fmt(o.zeroLossPps()) + " pps that a calibration search"
                        + " (stock NAPI, 64 B, " + o.rates() + " rates, " + o.trials().size()
                        + " trials of " + sw.calibrationTrial().toSeconds()
                        + " s, each rate judged as in the RFC 2544 search) found before"
                        + " repetition 1"
                : "the fallback " + MarkdownReport.fmt(sw.fallbackTopPps()) + " pps: the"
                        + " calibration search passed no rate";
        machine.put("sweep top", MarkdownReport.fmt(sweepTop) + " pps = " + how);
        say("calibration: zero-loss %s pps under NAPI, sweep top %s pps",
                MarkdownReport.fmt(o.zeroLossPps()), MarkdownReport.fmt(sweepTop));
        if (!s.healthy()) {
            return reboot(s, echo, rep, "calibration search");
        }
        return s;
    }

    /** The guest stopped echoing: end this boot (keeping what it measured) and start another. */
    private Session reboot(Session s, Path echo, int rep, String where) {
        stalls.add("rep " + rep + " " + where);
        say("guest NIC stalled (%s): rebooting the guest", where);
        s.close();
        return new Session(echo, List.of(rep), false);
    }

    /** Modes in an order rotated per repetition; module modes stay adjacent. */
    static List<Mode> order(List<Mode> modes, int rep) {
        List<Mode> stock = new ArrayList<>(modes.stream().filter(m -> !m.usesModule()).toList());
        List<Mode> mod = new ArrayList<>(modes.stream().filter(Mode::usesModule).toList());
        java.util.Collections.rotate(stock, rep - 1);
        java.util.Collections.rotate(mod, rep - 1);
        List<Mode> out = new ArrayList<>();
        out.addAll(rep % 2 == 1 ? stock : mod);
        out.addAll(rep % 2 == 1 ? mod : stock);
        return out;
    }

    /**
     * Matrix and competition cells of every mode, then every mode's RFC 2544
     * searches (the overload phase last, so a stall cannot spoil the cells).
     * A health check after each mode's cells and after each search catches a
     * guest whose NIC stopped: that part is dropped, the guest rebooted and
     * the part run once more.
     */
    private Session repetition(Session s, Path echo, int rep) {
        List<Condition> conds = new ArrayList<>(this.conds);
        java.util.Collections.rotate(conds, rep - 1);
        List<Mode> order = order(modes, rep);
        for (Mode m : order) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                int mark = pending.size();
                s.mode(m);
                // One snapshot between two cells ends the first and starts the second.
                String before = snap(s.rpc, "matrix-r" + rep + "-" + m.id() + "-start");
                for (Condition c : conds) {
                    before = cell(s, "matrix", rep, m, c, before);
                }
                if (profile.compete()) {
                    s.rpc.call(RPC_TIMEOUT, "compete", "start");
                    try {
                        Condition c = profile.condition(profile.competeCondition());
                        cell(s, "compete", rep, m, c,
                                snap(s.rpc, "compete-r" + rep + "-" + m.id() + "-start"));
                    } finally {
                        s.rpc.call(RPC_TIMEOUT, "compete", "stop");
                    }
                }
                passes(s, rep, m, conds);
                if (s.healthy()) {
                    break;
                }
                if (attempt == 2) {
                    notes.add("rep " + rep + " " + m.label() + ": the guest NIC stalled in both"
                            + " attempts at its cells; the second attempt's cells are kept.");
                    s = reboot(s, echo, rep, m.label() + " cells, second attempt");
                    break;
                }
                done -= pending.size() - mark;
                pending.subList(mark, pending.size()).clear();
                s = reboot(s, echo, rep, m.label() + " cells");
            }
        }
        if (rep == 1 || !profile.rfcFirstRepOnly()) {
            for (Mode m : order) {
                s.mode(m);
                for (int frame : profile.rfcFrames()) {
                    for (int attempt = 1; attempt <= 2; attempt++) {
                        Throughput t = rfc(s, rep, m, frame);
                        if (s.healthy()) {
                            throughput.add(t);
                            break;
                        }
                        // the search runs again: its progress units count once
                        done -= profile.rfcMaxRates();
                        s = reboot(s, echo, rep, m.label() + " RFC 2544 " + frame + " B");
                        s.mode(m);
                        if (attempt == 2) {
                            notes.add("RFC 2544 rep " + rep + " " + m.label() + " " + frame
                                    + " B: no valid result, the guest NIC stalled in both attempts.");
                        }
                    }
                }
            }
        }
        return s;
    }

    /**
     * The profile's passes after a mode's matrix cells: the instrumented
     * cells ("latency"), then the forwarding topology's cells, plain
     * ("forward") and instrumented ("forward-latency"); the topology and the
     * instrument are always taken down again.
     */
    private void passes(Session s, int rep, Mode m, List<Condition> matrix) {
        Profile.Passes ps = profile.passes();
        Duration lat = ps.latencyCell();
        if (lat != null) {
            instrumented(s, "latency", rep, m, Profile.pick(matrix, ps.latency()),
                    s.g.guestAddress());
        }
        List<Condition> fwd = Profile.pick(matrix, ps.forward());
        if (fwd.isEmpty()) {
            return;
        }
        if (!guestSetup(s, "fwd", "forwarding topology", rep, m)) {
            return;
        }
        try {
            String before = snap(s.rpc, "forward-r" + rep + "-" + m.id() + "-start");
            for (Condition c : fwd) {
                before = cell(s, "forward", rep, m, c, before, FWD_ADDRESS, profile.cell(), false);
            }
            if (lat != null) {
                instrumented(s, "forward-latency", rep, m, fwd, FWD_ADDRESS);
            }
        } finally {
            s.rpc.call(RPC_TIMEOUT, "fwd", "stop");
        }
    }

    private void instrumented(Session s, String scenario, int rep, Mode m,
            List<Condition> conds, String target) {
        if (conds.isEmpty()) {
            return;
        }
        if (!guestSetup(s, "lat", "in-guest latency instrument", rep, m)) {
            return;
        }
        try {
            String before = snap(s.rpc, scenario + "-r" + rep + "-" + m.id() + "-start", true);
            for (Condition c : conds) {
                before = cell(s, scenario, rep, m, c, before, target,
                        profile.passes().latencyCell(), true);
            }
        } finally {
            s.rpc.call(RPC_TIMEOUT, "lat", "stop");
        }
    }

    /** "&lt;what&gt; start" in the guest; a failure is a note, its pass skipped. */
    private boolean guestSetup(Session s, String what, String label, int rep, Mode m) {
        try {
            s.rpc.call(RPC_TIMEOUT, what, "start");
            return true;
        } catch (IllegalStateException e) {
            String first = e.getMessage().lines().limit(3).reduce((a, b) -> a + " " + b)
                    .orElse("?");
            notes.add("rep " + rep + " " + m.label() + ": the " + label + " did not start ("
                    + first + "); its cells are missing.");
            say("%s did not start for %s: %s", label, m.label(), first);
            return false;
        }
    }

    private static String snap(GuestRpc rpc, String id) {
        return snap(rpc, id, false);
    }

    /** A snapshot; with lat, the latency histograms too (then emptied). */
    private static String snap(GuestRpc rpc, String id, boolean lat) {
        if (lat) {
            rpc.call(RPC_TIMEOUT, "snap", id, "lat");
        } else {
            rpc.call(RPC_TIMEOUT, "snap", id);
        }
        return id;
    }

    /** Measures one matrix cell from snapshot before; returns the snapshot that ends it. */
    private String cell(Session s, String scenario, int rep, Mode m, Condition c, String before) {
        return cell(s, scenario, rep, m, c, before, s.g.guestAddress(), profile.cellLength(c),
                false);
    }

    /**
     * Measures one cell of length len, traffic to target, from snapshot
     * before; with lat the ending snapshot takes the latency histograms.
     */
    private String cell(Session s, String scenario, int rep, Mode m, Condition c, String before,
            String target, Duration len, boolean lat) {
        String id = scenario + "-r" + rep + "-" + m.id() + "-" + c.id();
        LoadResult lr = null;
        if (c.idle()) {
            sleep(len);
        } else {
            lr = s.load.run(target, ECHO_PORT, c.pps(), c.payloadBytes(), len, c.train(),
                    c.spacingUs());
        }
        String after = snap(s.rpc, id, lat);
        pending.add(new Pending(scenario, rep, m, c, before, after, lr, lat));
        done++;
        if (lr == null) {
            say("%-8s rep %d %-19s %-14s no traffic", scenario, rep, m.label(), c.id());
        } else if (lat) {
            say("%-8s rep %d %-19s %-14s (in-guest latency) lost %d of %d", scenario, rep,
                    m.label(), c.id(), lr.lost(), lr.sent());
        } else {
            say("%-8s rep %d %-19s %-14s RTT p50 %6s p99 %7s max %7s us, lost %d of %d",
                    scenario, rep, m.label(), c.id(), MarkdownReport.fmt(lr.p50Us()),
                    MarkdownReport.fmt(lr.p99Us()), MarkdownReport.fmt(lr.maxUs()), lr.lost(),
                    lr.sent());
        }
        return after;
    }

    /**
     * The guest echo's receive buffer in bytes from BENCH_ECHO_RCVBUF (an
     * investigation knob), 0 for the system's default.
     */
    static long echoRcvbuf() {
        return echoRcvbuf(System.getenv("BENCH_ECHO_RCVBUF"));
    }

    static long echoRcvbuf(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long b = Long.parseLong(v.trim());
            if (b >= 0 && b <= Integer.MAX_VALUE) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("BENCH_ECHO_RCVBUF must be a byte count from 0 to "
                + Integer.MAX_VALUE + " (0: the system's default), got '" + v + "'");
    }

    /**
     * The search's resolution: the profile's, or 1/32 of a lower ceiling, so
     * a calibrated ceiling of a few hundred pps still gets its trials.
     */
    static double rfcResolution(double ceiling, double profileResolution) {
        return Math.min(profileResolution, ceiling / 32);
    }

    /** One RFC 2544 search; the caller keeps it only if the guest is still healthy after it. */
    private Throughput rfc(Session s, int rep, Mode m, int frame) {
        int payload = Math.max(UdpLoad.MIN_PAYLOAD, frame - Condition.FRAME_OVERHEAD);
        Rfc2544Search.Outcome o = Rfc2544Search.search(rfcCeiling,
                rfcResolution(rfcCeiling, profile.rfcResolutionPps()), profile.rfcMaxRates(),
                RFC_VOTES, pps -> {
                    LoadResult r = s.load.run(s.g.guestAddress(), ECHO_PORT, pps, payload,
                            profile.rfcTrial());
                    if (!offered(pps, r)) {
                        generatorLimited++;
                    }
                    return rfcTrial(pps, r);
                });
        done += profile.rfcMaxRates();
        say("rfc2544  rep %d %-12s %4d B    zero-loss %s pps after %d rates, %d trials", rep,
                m.label(), frame, MarkdownReport.fmt(o.zeroLossPps()), o.rates(),
                o.trials().size());
        return new Throughput(rep, m, frame, o.zeroLossPps(), o.trials());
    }

    /** One search trial's verdict from what the generator saw. */
    static Rfc2544Search.Trial rfcTrial(double pps, LoadResult r) {
        boolean gross = r.lost() > RFC_GROSS_LOSS * r.sent();
        return new Rfc2544Search.Trial(pps, r.offeredPps(), offered(pps, r) && r.lost() == 0,
                gross);
    }

    /** A rate the host could not offer proves nothing about the guest. */
    private static boolean offered(double pps, LoadResult r) {
        return r.offeredPps() >= OFFERED_SHARE * pps;
    }

    private void say(String fmt, Object... args) {
        long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
        String eta = done == 0 ? "?" : mmss(s * (total - done) / done);
        progress.printf(Locale.ROOT, "[bench %3d/%d %s eta %s] %s%n", done, total, mmss(s), eta,
                String.format(Locale.ROOT, fmt, args));
        progress.flush();
    }

    private static String mmss(long s) {
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void hostFacts() {
        machine.put("host CPU", firstMatch(read(Path.of("/proc/cpuinfo")), "model name"));
        machine.put("host nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("host load average at start", loadAvg());
        machine.put("host kernel", System.getProperty("os.version"));
        machine.put("QEMU", command("qemu-system-x86_64", "--version").lines().findFirst()
                .orElse("?"));
        machine.put("guest", "2 vCPUs (CPU " + SERVED_CPU + " served, CPU 1 runs the echo "
                + "server), 1024 MiB, virtio-net on a tap in a private netns");
        machine.put("JDK", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
    }

    /** From the QEMU command line the harness wrote next to the results folder. */
    private static String accelerator(RunningGuest g) {
        String cmd = read(g.results().resolveSibling("qemu.cmdline"));
        if (cmd.contains("accel tcg")) {
            return "TCG (QEMU -accel tcg" + (Files.exists(Path.of("/dev/kvm"))
                    ? "; /dev/kvm exists but is not used)" : "; no /dev/kvm)");
        }
        return cmd.contains("kvm") ? "KVM" : "?";
    }

    private void guestFacts(String info) {
        for (String line : info.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !machine.containsKey("guest " + line.substring(0, eq))) {
                machine.put("guest " + line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
    }

    /** How many 1 Gbps / 64 B matrix cells lost packets, in words. */
    private String lossyFastCells() {
        List<Cell> fast = cells.stream().filter(c -> c.scenario().equals("matrix")
                && c.condition().equals("1G-64")).toList();
        long lossy = fast.stream().filter(c -> c.lossPct() > 0).count();
        return lossy + " of its " + fast.size() + " cells lost packets";
    }

    private void staticNotes() {
        if (!stalls.isEmpty()) {
            notes.add("The guest's virtio-net stopped moving packets " + stalls.size() + " time(s) ("
                    + String.join("; ", stalls) + "): QEMU TCG under UDP overload, seen with stock"
                    + " NAPI as well (docs/bench/README.md). Each time the guest was rebooted and"
                    + " the part re-run once; what the stall spoiled is not in the results.");
        }
        if (generatorLimited > 0) {
            notes.add("RFC 2544: " + generatorLimited + " trial(s) offered less than "
                    + Math.round(OFFERED_SHARE * 100) + " % of the asked rate (the host's load"
                    + " generator fell behind); they count as not loss-free, so rates near the top"
                    + " of the search are limited by the host, not by the guest.");
        }
        notes.add("C-state on/off (the paper's modes c-f) cannot be varied: a TCG guest has no "
                + "cpuidle states to enable or disable, so every mode here runs with whatever"
                + " idle QEMU emulates (HLT).");
        notes.add("Watts: n/a. The host has no RAPL, powercap or IPMI, and a TCG guest exposes "
                + "none; the served CPU's busy share (/proc/stat) stands in for power.");
        notes.add("Frequency control drives the test cpufreq driver (eekbp_testfreq): "
                + "transitions and residency are real kernel bookkeeping, but no clock changes,"
                + " so the latency cost of switching frequency is not reproduced.");
        String fast = conds.stream().anyMatch(c -> c.id().equals("1G-64"))
                ? "; the 1 Gbps / 64 B row (2000 pps) is close to what a TCG guest echoes (the"
                        + " paper saw every mode lose packets there); in this run "
                        + lossyFastCells() : "";
        notes.add("Absolute latencies are TCG emulation latencies (hundreds of us to ms); compare"
                + " modes within this run only. Rates are the paper's intervals x "
                + MarkdownReport.fmt(profile.scale()) + fast + ".");
        notes.add("Poll-thread CPU is the on-CPU time (/proc/<pid>/schedstat) of the eekbp*"
                + " threads (KBP, EE-KBP, adaptive) or the napi/<dev> threads (threaded NAPI,"
                + " with or without defer); NAPI and NAPI+busy_read poll in softirq context"
                + " (and busy_read in the echo server's reads on the application CPU), counted in"
                + " the served CPU's busy share and ksoftirqd, so they have no poll-thread"
                + " figures. Per-packet figures divide by the requests sent; every request is"
                + " one echo (an RX and a TX on the guest's NIC).");
    }

    /** Other work on the host slows a TCG guest; the report shows how much there was. */
    private static String loadAvg() {
        String[] w = read(Path.of("/proc/loadavg")).trim().split("\\s+");
        return w.length >= 3 ? w[0] + " " + w[1] + " " + w[2] + " (1/5/15 min)" : "?";
    }

    private static String firstMatch(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key)).map(l -> l.replaceAll(".*:\\s*", ""))
                .findFirst().orElse("?");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static String command(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    static String resource(String name) {
        try (var in = BenchRunner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The folder holding this class (test-classes): the load daemon's class path. */
    static String classesDir() {
        try {
            return Path.of(LoadDaemon.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
