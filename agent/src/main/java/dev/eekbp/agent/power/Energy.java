package dev.eekbp.agent.power;

/** An amount of energy, stored in microjoules. */
public record Energy(long microjoules) {
    public static Energy ofMicrojoules(long uj) {
        return new Energy(uj);
    }

    public double joules() {
        return microjoules / 1e6;
    }
}
