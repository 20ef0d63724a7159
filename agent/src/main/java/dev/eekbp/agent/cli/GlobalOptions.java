package dev.eekbp.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options accepted before the subcommand ("eekbp --config F status") and
 * after it; a value given after the subcommand wins.
 */
public final class GlobalOptions {
    static final Path DEFAULT_CONFIG = Path.of("/etc/eekbp/eekbp.toml");

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: /etc/eekbp/eekbp.toml).")
    Path config;

    @Option(names = "--sysfs-root", paramLabel = "DIR",
            description = "Root under which /sys, /proc and /run are found (tests use a fake tree; default: /).")
    Path sysfsRoot;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Restore data file (default: <sysfs-root>/run/eekbp/state.json).")
    Path stateFile;

    @Option(names = "--insecure-config", hidden = true,
            description = "Skip the owner/mode check of the config file (tests only).")
    boolean insecureConfig;
}
