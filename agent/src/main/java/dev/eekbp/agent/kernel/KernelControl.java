package dev.eekbp.agent.kernel;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes /sys/kernel/eekbp. Every value is checked before the first
 * write; a write the kernel rejects rolls back the ones already made, so the
 * module never keeps half a configuration.
 */
public final class KernelControl {
    /** Attributes that change which napis are served: written with the threads disabled. */
    private static final Set<String> STRUCTURAL = Set.of(Uapi.ATTR_MODE, Uapi.ATTR_CPUS, Uapi.ATTR_DEVICES);

    private final SysfsTree fs;

    public KernelControl(SysfsTree fs) {
        this.fs = fs;
    }

    public boolean present() {
        return fs.exists(Uapi.attr(Uapi.ATTR_ABI_VERSION));
    }

    /** Fails unless the loaded module speaks the ABI this agent was built for. */
    public void checkAbi() throws KernelException {
        String v;
        try {
            v = fs.read(Uapi.attr(Uapi.ATTR_ABI_VERSION)).strip();
        } catch (IOException e) {
            throw new KernelException("cannot read " + fs.path(Uapi.attr(Uapi.ATTR_ABI_VERSION))
                    + " (is the eekbp module loaded?): " + e.getMessage(), e);
        }
        if (!v.equals(Integer.toString(Uapi.ABI_VERSION))) {
            throw new KernelException("eekbp module speaks ABI version " + v + ", this agent needs "
                    + Uapi.ABI_VERSION + ": install matching module and agent versions (dkms) and reload");
        }
    }

    public Optional<String> read(String attribute) {
        return fs.tryRead(Uapi.attr(attribute)).map(String::strip);
    }

    /** The wanted values that differ from the running ones. */
    public List<Change> diff(List<Setting> wanted) {
        List<Change> out = new ArrayList<>();
        for (Setting s : wanted) {
            String cur = read(s.attribute()).orElse("");
            if (!same(s.attribute(), cur, s.value())) {
                out.add(new Change(s.attribute(), cur, s.value()));
            }
        }
        return out;
    }

    private static boolean same(String attr, String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (attr.equals(Uapi.ATTR_CPUS)) {
            try {
                return CpuList.parse(a).equals(CpuList.parse(b));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** Checks a value against the ABI's syntax and ranges; returns the problem or empty. */
    public static Optional<String> invalid(String attribute, String value) {
        switch (attribute) {
            case Uapi.ATTR_MODE:
                return dev.eekbp.agent.config.Mode.parse(value).isPresent() ? Optional.empty()
                        : Optional.of("mode must be one of " + String.join(" | ", java.util.Arrays.stream(
                                dev.eekbp.agent.config.Mode.values()).map(dev.eekbp.agent.config.Mode::sysfsValue)
                                .toList()));
            case Uapi.ATTR_CPUS:
                try {
                    CpuList.parse(value);
                    return Optional.empty();
                } catch (IllegalArgumentException e) {
                    return Optional.of(e.getMessage());
                }
            case Uapi.ATTR_DEVICES:
                return value.isEmpty() || value.matches("[^,/:\\s]{1,15}(,[^,/:\\s]{1,15})*") ? Optional.empty()
                        : Optional.of("devices must be comma-separated interface names");
            case Uapi.ATTR_QUOTA:
                return inRange(value, Uapi.QUOTA_MIN, Uapi.QUOTA_MAX);
            case Uapi.ATTR_FREQ_CTL, Uapi.ATTR_ENABLED:
                return value.equals("0") || value.equals("1") ? Optional.empty() : Optional.of("must be 0 or 1");
            case Uapi.ATTR_FREQ_MIN_KHZ, Uapi.ATTR_FREQ_MAX_KHZ:
                return inRange(value, 0, 100_000_000);
            case Uapi.ATTR_SPIN_MAX_US:
                return inRange(value, 0, Uapi.SPIN_MAX_US_MAX);
            case Uapi.ATTR_FREQ_MAX_RATE:
                return inRange(value, 0, Uapi.FREQ_MAX_RATE_MAX);
            case Uapi.ATTR_SCHED:
                return value.equals(Uapi.SCHED_OTHER)
                        || value.matches(Uapi.SCHED_FIFO_PREFIX + "[0-9]{1,2}")
                        && inRange(value.substring(Uapi.SCHED_FIFO_PREFIX.length()), Uapi.SCHED_PRIO_MIN,
                                Uapi.SCHED_PRIO_MAX).isEmpty()
                        ? Optional.empty() : Optional.of("sched must be other or fifo:<1-99>");
            default:
                return Optional.of("not a writable eekbp attribute");
        }
    }

    private static Optional<String> inRange(String v, long min, long max) {
        if (!v.matches("[0-9]{1,10}")) {
            return Optional.of("must be an integer in " + min + ".." + max);
        }
        long n = Long.parseLong(v);
        return n < min || n > max ? Optional.of("must be in " + min + ".." + max + ", got " + n) : Optional.empty();
    }

    /**
     * Applies the changes. If mode, cpus or devices change while the threads
     * are enabled, they are disabled first and re-enabled after. On any
     * failure everything already written is put back and a KernelException
     * names the attribute, the value and the kernel's answer.
     */
    public void apply(List<Change> changes) throws KernelException {
        for (Change c : changes) {
            Optional<String> bad = invalid(c.attribute(), c.to());
            if (bad.isPresent()) {
                throw new KernelException("refusing to write \"" + c.to() + "\" to " + c.attribute() + ": "
                        + bad.get() + " (nothing was changed)");
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        boolean structural = changes.stream().anyMatch(c -> STRUCTURAL.contains(c.attribute()));
        boolean wasEnabled = read(Uapi.ATTR_ENABLED).orElse("0").equals("1");
        List<Change> steps = new ArrayList<>();
        if (structural && wasEnabled) {
            steps.add(new Change(Uapi.ATTR_ENABLED, "1", "0"));
        }
        steps.addAll(changes);
        if (structural && wasEnabled) {
            steps.add(new Change(Uapi.ATTR_ENABLED, "0", "1"));
        }
        Deque<Change> done = new ArrayDeque<>();
        for (Change c : steps) {
            try {
                fs.write(Uapi.attr(c.attribute()), c.to());
                done.push(c);
            } catch (IOException e) {
                List<String> rollbackFailures = rollback(done);
                throw new KernelException("kernel rejected " + c.attribute() + "=\"" + c.to() + "\": "
                        + describe(e) + (rollbackFailures.isEmpty() ? "; previous values restored"
                                : "; could not restore " + rollbackFailures), e);
            }
        }
    }

    /** Writes enabled=0|1. */
    public void setEnabled(boolean on) throws KernelException {
        try {
            fs.write(Uapi.attr(Uapi.ATTR_ENABLED), on ? "1" : "0");
        } catch (IOException e) {
            throw new KernelException("cannot set " + Uapi.ATTR_ENABLED + "=" + (on ? 1 : 0) + ": " + describe(e), e);
        }
    }

    private List<String> rollback(Deque<Change> done) {
        List<String> failed = new ArrayList<>();
        while (!done.isEmpty()) {
            Change c = done.pop();
            try {
                fs.write(Uapi.attr(c.attribute()), c.from());
            } catch (IOException e) {
                failed.add(c.attribute());
            }
        }
        return failed;
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
