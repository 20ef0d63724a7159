package dev.eekbp.agent.kernel;

/** An attribute whose running value differs from the wanted one ("" when unreadable). */
public record Change(String attribute, String from, String to) {
    @Override
    public String toString() {
        return attribute + ": \"" + from + "\" -> \"" + to + "\"";
    }
}
