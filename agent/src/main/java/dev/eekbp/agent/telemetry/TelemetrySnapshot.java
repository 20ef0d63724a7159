package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.power.Energy;
import dev.eekbp.agent.power.Power;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.ipmi.DcmiReading;
import dev.eekbp.agent.power.ipmi.DcmiSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A copy of the latest telemetry for `eekbp status` and the JSON Lines file.
 * NaN means "not known" (no packets in the interval, no power source...).
 */
public record TelemetrySnapshot(Instant time, long samples, List<PowerDomain> power, Optional<DcmiReading> dcmi,
        Optional<Kernel> kernel, double powerWatts, double pollingThreads, double wattsPerPollingThread,
        double joulesPerPacket, Optional<Probe> probe, List<String> unavailable) {

    /** One domain of one power source, or an unavailable source (domain "", reason set). */
    public record PowerDomain(String source, String domain, boolean available, String reason, Energy energy,
            Power power) {
    }

    /** Totals over the module's threads. */
    public record Kernel(int threads, int polling, long packets, long polls, long emptyPolls, long sleeps,
            long irqWakes, long freqUp, long freqDown) {
    }

    /** UDP prober counters and last-interval quantiles in seconds. */
    public record Probe(long sent, long lost, double p50Seconds, double p99Seconds, double maxSeconds) {
    }

    /** Builds a snapshot under the sampler's lock. */
    static TelemetrySnapshot of(TelemetrySampler s) {
        synchronized (s) {
            List<PowerDomain> power = new ArrayList<>();
            DcmiReading dcmi = null;
            for (PowerSource p : s.power) {
                if (!p.availability().available() || p.domainCount() == 0) {
                    power.add(new PowerDomain(p.id(), "", false, p.availability().reason(), new Energy(0),
                            Power.UNKNOWN));
                    continue;
                }
                for (int d = 0; d < p.domainCount(); d++) {
                    power.add(new PowerDomain(p.id(), p.domainName(d), true, "", p.energy(d), p.power(d)));
                }
                if (p instanceof DcmiSource ds) {
                    dcmi = ds.lastReading();
                }
            }
            Kernel kernel = null;
            if (s.kstatsValid) {
                KernelStatsReader k = s.kstats;
                kernel = new Kernel(k.records(), k.polling(), k.total(StatsLayout.PACKETS),
                        k.total(StatsLayout.POLLS), k.total(StatsLayout.EMPTY_POLLS), k.total(StatsLayout.SLEEPS),
                        k.total(StatsLayout.IRQ_WAKES), k.total(StatsLayout.FREQ_UP), k.total(StatsLayout.FREQ_DOWN));
            }
            Probe probe = null;
            if (s.prober != null) {
                boolean any = s.probeInterval.getTotalCount() > 0;
                probe = new Probe(s.prober.sent(), s.prober.lost(),
                        any ? s.probeInterval.getValueAtPercentile(50) / 1e9 : Double.NaN,
                        any ? s.probeInterval.getValueAtPercentile(99) / 1e9 : Double.NaN,
                        any ? s.probeInterval.getMaxValue() / 1e9 : Double.NaN);
            }
            List<String> missing = new ArrayList<>(s.unavailable());
            if (s.kstats != null && !s.kstatsValid && !s.kstatsError.isEmpty()) {
                missing.add("kernel stats: " + s.kstatsError);
            }
            return new TelemetrySnapshot(Instant.ofEpochMilli(s.lastWallMillis), s.samples, List.copyOf(power),
                    Optional.ofNullable(dcmi), Optional.ofNullable(kernel), s.powerWatts, s.pollingThreads,
                    s.wattsPerPollingThread, s.joulesPerPacket, Optional.ofNullable(probe), List.copyOf(missing));
        }
    }
}
