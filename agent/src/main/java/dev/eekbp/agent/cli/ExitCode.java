package dev.eekbp.agent.cli;

/** Process exit codes of the eekbp command. */
public enum ExitCode {
    OK(0), BAD_INPUT(2), UNEXPECTED_STATE(3), INTERNAL(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
