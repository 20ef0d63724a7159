package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.PowerSources;
import dev.eekbp.agent.power.ipmi.DcmiReading;
import dev.eekbp.agent.power.ipmi.DcmiSource;
import java.util.List;

/**
 * Diagnostic entry point: reads every configured power source once and
 * prints one JSON object per source on stdout.
 *
 * <pre>java -cp eekbp-agent-all.jar dev.eekbp.agent.telemetry.PowerProbeMain [--rapl auto] [--ipmi auto]</pre>
 * (the same as `eekbp power`).
 * Exit code 0 when at least one source is available, 3 otherwise, 2 on bad usage.
 */
public final class PowerProbeMain {
    private PowerProbeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String rapl = "auto";
        String ipmi = "auto";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rapl") && i + 1 < args.length) {
                rapl = args[++i];
            } else if (args[i].equals("--ipmi") && i + 1 < args.length) {
                ipmi = args[++i];
            } else {
                System.err.println("usage: PowerProbeMain [--rapl auto|powercap|msr|off] [--ipmi auto|off|PATH]");
                System.exit(2);
            }
        }
        List<PowerSource> sources;
        try {
            sources = PowerSources.open(rapl, ipmi);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        readAll(sources).forEach(System.out::println);
        boolean any = false;
        for (PowerSource s : sources) {
            any |= s.availability().available();
            s.close();
        }
        System.exit(any ? 0 : 3);
    }

    /** Two samples 100 ms apart (so energy counters give a power figure); one JSON line per source. */
    public static List<String> readAll(List<PowerSource> sources) throws InterruptedException {
        for (PowerSource s : sources) {
            s.sample(System.nanoTime());
        }
        Thread.sleep(100);
        List<String> out = new java.util.ArrayList<>();
        for (PowerSource s : sources) {
            long t0 = System.nanoTime();
            s.sample(t0);
            out.add(json(s, System.nanoTime() - t0));
        }
        return out;
    }

    static String json(PowerSource s, long readNanos) {
        StringBuilder b = new StringBuilder("{");
        Json.field(b, "source");
        Json.string(b, s.id());
        Json.field(b, "read_us").append(readNanos / 1000);
        Json.field(b, "available").append(s.availability().available());
        if (!s.availability().available()) {
            Json.field(b, "reason");
            Json.string(b, s.availability().reason());
            return b.append('}').toString();
        }
        if (s instanceof DcmiSource d && d.lastReading() != null) {
            DcmiReading r = d.lastReading();
            Json.field(b, "current_watts").append(r.currentWatts());
            Json.field(b, "min_watts").append(r.minWatts());
            Json.field(b, "max_watts").append(r.maxWatts());
            Json.field(b, "average_watts").append(r.averageWatts());
            Json.field(b, "timestamp").append(r.timestampSeconds());
            Json.field(b, "period_ms").append(r.periodMillis());
            Json.field(b, "active").append(r.active());
        }
        Json.field(b, "domains").append('[');
        for (int i = 0; i < s.domainCount(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('{');
            Json.field(b, "domain");
            Json.string(b, s.domainName(i));
            Json.field(b, "energy_joules");
            Json.number(b, s.energyMicrojoules(i) / 1e6);
            Json.field(b, "power_watts");
            Json.number(b, s.watts(i));
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
