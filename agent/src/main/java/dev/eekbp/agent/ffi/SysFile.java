package dev.eekbp.agent.ffi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sysfs or procfs file kept open and re-read from offset 0 into one
 * preallocated buffer, so a sample costs one pread and no allocation. When
 * the file outgrows the buffer, the buffer doubles (up to 64 MiB) once.
 * Not thread safe: one sampler thread owns it.
 */
public final class SysFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    static final int MAX_CAPACITY = 64 << 20;
    private ByteBuffer buf;
    private int length;

    private SysFile(Path path, FileChannel channel, int capacity) {
        this.path = path;
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(capacity);
    }

    /** Opens path read-only; capacity bounds what one read can see. */
    public static SysFile open(Path path, int capacity) throws IOException {
        return new SysFile(path, FileChannel.open(path, StandardOpenOption.READ), capacity);
    }

    public Path path() {
        return path;
    }

    /** Re-reads the whole file (up to 64 MiB); returns its length. */
    public int read() throws IOException {
        while (true) {
            buf.clear();
            long pos = 0;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            length = buf.position();
            if (length < buf.capacity() || buf.capacity() >= MAX_CAPACITY) {
                return length;
            }
            ByteOrder order = buf.order();
            buf = ByteBuffer.allocateDirect(Math.min(buf.capacity() * 2, MAX_CAPACITY)).order(order);
        }
    }

    /** Bytes of the last read. */
    public int length() {
        return length;
    }

    /** True when the last read filled the buffer (the file may be longer). */
    public boolean truncated() {
        return length == buf.capacity();
    }

    public byte byteAt(int i) {
        return buf.get(i);
    }

    /** The buffer of the last read; positions 0..length() are valid. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Re-reads and parses the first unsigned decimal number in the file. */
    public long readLong() throws IOException {
        read();
        return TextScan.parseUnsigned(this, TextScan.skipSpaces(this, 0, length), length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
