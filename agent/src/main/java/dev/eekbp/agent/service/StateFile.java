package dev.eekbp.agent.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * /run/eekbp/state.json: the restore data, rewritten atomically (temp file +
 * rename) after every change so a kill -9 never leaves half a file.
 */
public final class StateFile {
    private final Path path;

    public StateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public void write(RestoreState s) throws IOException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"version\": 1,\n");
        sb.append("  \"pid\": ").append(s.pid()).append(",\n");
        sb.append("  \"start_time\": ").append(s.startTime()).append(",\n");
        sb.append("  \"loaded_modules\": ").append(s.loadedModules()).append(",\n");
        object(sb, "governors", s.governors()).append(",\n");
        object(sb, "irq_affinity", s.irqAffinity()).append(",\n");
        object(sb, "resume_latency", s.resumeLatency()).append("\n}\n");
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        // a stale temp file (or a link planted there) is removed, never followed:
        // CREATE_NEW is O_CREAT|O_EXCL, which fails on any existing name, links included
        Files.deleteIfExists(tmp);
        try (SeekableByteChannel ch = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static StringBuilder object(StringBuilder sb, String name, Map<Integer, String> m) {
        sb.append("  \"").append(name).append("\": {");
        boolean first = true;
        for (var e : m.entrySet()) {
            sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": \"").append(escape(e.getValue()))
                    .append('"');
            first = false;
        }
        return sb.append('}');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The saved state, or empty when there is no file (clean stop or first start). */
    public Optional<RestoreState> read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateJson.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("state file " + path + " is damaged (" + e.getMessage()
                    + "); check governors and IRQ affinities by hand, then delete it", e);
        }
    }

    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
