package dev.eekbp.agent.chart;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** PNG encoding with java.base only: 8-bit RGB, no filter, zlib from java.util.zip. */
final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private Png() {
    }

    static byte[] encode(Raster r) {
        int w = r.width();
        int h = r.height();
        byte[] raw = new byte[h * (1 + 3 * w)];
        int k = 0;
        for (int y = 0; y < h; y++) {
            raw[k++] = 0; // filter type None
            for (int x = 0; x < w; x++) {
                int c = r.get(x, y);
                raw[k++] = (byte) (c >> 16);
                raw[k++] = (byte) (c >> 8);
                raw[k++] = (byte) c;
            }
        }
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try {
            d.setInput(raw);
            d.finish();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                z.write(buf, 0, d.deflate(buf));
            }
        } finally {
            d.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
