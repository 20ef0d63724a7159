package dev.eekbp.agent.power;

/**
 * A power or energy sensor with one or more domains (a RAPL package or
 * subzone, the whole platform for a BMC). {@link #sample} refreshes the
 * source's own preallocated state; readers then query it by domain index.
 * Sources never know who reads them. One sampler thread calls sample().
 */
public interface PowerSource extends AutoCloseable {
    /** Source label value: "rapl-powercap", "rapl-msr", "ipmi-dcmi" ("rapl" when neither RAPL path works). */
    String id();

    /** Available, or unavailable with the reason (refreshed by sample()). */
    Availability availability();

    int domainCount();

    /** Domain label value such as "package-0", "package-0/core", "platform". */
    String domainName(int domain);

    /** Reads the sensor; false when it failed (availability() says why). */
    boolean sample(long monotonicNanos);

    /** Energy accumulated since the first sample, wrap-corrected, in microjoules. */
    long energyMicrojoules(int domain);

    /** Average power over the last sample interval in watts; NaN until known. */
    double watts(int domain);

    /** True for a top-level domain (package, psys, platform) whose power adds up. */
    boolean topLevel(int domain);

    /**
     * The longest sample interval that cannot miss a counter wrap, in
     * nanoseconds (Long.MAX_VALUE when the source has no wrapping counter).
     */
    long maxSafeIntervalNanos();

    /**
     * The shortest useful interval between samples (a BMC refreshes its
     * reading about once a second); 0 = sample as often as asked.
     */
    default long minIntervalNanos() {
        return 0;
    }

    @Override
    void close();

    default Energy energy(int domain) {
        return Energy.ofMicrojoules(energyMicrojoules(domain));
    }

    default Power power(int domain) {
        return new Power(watts(domain));
    }
}
