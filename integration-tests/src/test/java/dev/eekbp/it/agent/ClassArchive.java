package dev.eekbp.it.agent;

import dev.eekbp.agent.ffi.UnixDatagram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a dynamic CDS archive of `eekbp run` on the host (against a fake
 * tree, up to READY and a clean stop) so the JVM in a TCG guest starts
 * faster. The guest must use the same jar path, which it can: it sees the
 * host's root file system.
 */
final class ClassArchive {
    static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m", "-Xmx128m");

    private ClassArchive() {
    }

    /** Returns true if {@code archive} was written. */
    static boolean create(Path jar, Path archive, Path work) throws Exception {
        Path root = FakeMachine.create(work.resolve("root"));
        Path conf = work.resolve("eekbp.toml");
        Files.writeString(conf, "[kernel]\ncpus = \"1\"\n[placement]\nirq_affinity = false\n"
                + "[telemetry]\nprometheus = false\nrapl = \"off\"\nipmi = \"off\"\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        String sock = work.resolve("notify.sock").toString();
        try (UnixDatagram rx = UnixDatagram.bind(sock)) {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(System.getProperty("java.home") + "/bin/java");
            cmd.addAll(JVM_OPTIONS);
            cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-jar", jar.toString(), "run", "--config", conf.toString(), "--sysfs-root", root.toString(),
                    "--state-file", work.resolve("state.json").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve("archive-run.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", sock);
            Process p = pb.start();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String m = null;
                while (System.nanoTime() < end && (m == null || !m.startsWith("READY=1"))) {
                    m = rx.receive(4096, 500);
                }
                Thread.sleep(1500); // let telemetry take a sample or two
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
            } finally {
                p.destroyForcibly();
            }
        }
        return Files.isRegularFile(archive) && Files.size(archive) > 0;
    }
}
