package dev.eekbp.agent.config;

import java.io.IOException;
import java.nio.file.Path;

/** Refuses files that someone other than the administrator could have written. */
@FunctionalInterface
public interface FileSafety {
    /** Throws an IOException whose message says what is wrong and how to fix it. */
    void check(Path file) throws IOException;

    /** For tests and dry runs on files whose ownership does not matter. */
    FileSafety NONE = file -> { };
}
