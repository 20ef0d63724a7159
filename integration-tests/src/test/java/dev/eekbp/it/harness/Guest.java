package dev.eekbp.it.harness;

/** Entry points: boot a guest described by a {@link GuestSpec}. */
public final class Guest {

    private Guest() {
    }

    /** Boots the guest and returns at once; close the result to kill it. */
    public static RunningGuest start(GuestSpec spec) {
        return RunningGuest.launch(spec);
    }

    /** Boots the guest, waits for it to end (or time out) and cleans up. */
    public static GuestResult run(GuestSpec spec) {
        try (RunningGuest g = start(spec)) {
            return g.await();
        }
    }
}
