package dev.eekbp.it.bmc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte stream of QEMU's ipmi-bmc-extern (OpenIPMI "VM" protocol): 0xA0
 * ends a message, 0xA1 ends a control command, 0xAA escapes the next byte
 * (sent as b | 0x10). Messages end in a checksum that makes all their bytes
 * sum to 0 mod 256.
 */
final class VmCodec {
    static final int MSG_END = 0xA0;
    static final int CMD_END = 0xA1;
    static final int ESCAPE = 0xAA;

    /** A decoded frame: a message (checksum verified and removed) or a control command. */
    record Frame(boolean message, byte[] bytes) {
    }

    private final ByteArrayOutputStream cur = new ByteArrayOutputStream();
    private boolean escaped;
    private int badChecksums;

    /** Feeds received bytes; returns the frames they completed. */
    List<Frame> feed(byte[] buf, int len) {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            int b = buf[i] & 0xFF;
            if (b == MSG_END || b == CMD_END) {
                byte[] f = cur.toByteArray();
                cur.reset();
                escaped = false;
                if (b == CMD_END) {
                    out.add(new Frame(false, f));
                } else if (f.length >= 4 && sum(f, f.length) == 0) {
                    out.add(new Frame(true, java.util.Arrays.copyOf(f, f.length - 1)));
                } else {
                    badChecksums++;
                }
            } else if (b == ESCAPE) {
                escaped = true;
            } else {
                cur.write(escaped ? b & ~0x10 : b);
                escaped = false;
            }
        }
        return out;
    }

    int badChecksums() {
        return badChecksums;
    }

    /** Encodes a message: payload, checksum, escapes, 0xA0. */
    static byte[] encodeMessage(byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte b : payload) {
            put(o, b & 0xFF);
        }
        put(o, (-sum(payload, payload.length)) & 0xFF);
        o.write(MSG_END);
        return o.toByteArray();
    }

    private static void put(ByteArrayOutputStream o, int b) {
        if (b == MSG_END || b == CMD_END || b == ESCAPE) {
            o.write(ESCAPE);
            o.write(b | 0x10);
        } else {
            o.write(b);
        }
    }

    static int sum(byte[] b, int len) {
        int s = 0;
        for (int i = 0; i < len; i++) {
            s += b[i] & 0xFF;
        }
        return s & 0xFF;
    }
}
