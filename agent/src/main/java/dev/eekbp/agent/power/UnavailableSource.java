package dev.eekbp.agent.power;

/** A source that does not work here, kept so its reason can be reported. */
public final class UnavailableSource implements PowerSource {
    private final String id;
    private final Availability availability;

    public UnavailableSource(String id, String reason) {
        this.id = id;
        this.availability = Availability.unavailable(reason);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public int domainCount() {
        return 0;
    }

    @Override
    public String domainName(int domain) {
        throw new IndexOutOfBoundsException(domain);
    }

    @Override
    public boolean sample(long monotonicNanos) {
        return false;
    }

    @Override
    public long energyMicrojoules(int domain) {
        throw new IndexOutOfBoundsException(domain);
    }

    @Override
    public double watts(int domain) {
        throw new IndexOutOfBoundsException(domain);
    }

    @Override
    public boolean topLevel(int domain) {
        throw new IndexOutOfBoundsException(domain);
    }

    @Override
    public long maxSafeIntervalNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    public void close() {
    }
}
