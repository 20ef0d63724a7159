package dev.eekbp.agent.cli;

/** Entry point of the eekbp agent. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("eekbp agent");
    }
}
