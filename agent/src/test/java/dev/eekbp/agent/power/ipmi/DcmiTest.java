package dev.eekbp.agent.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class DcmiTest {
    /** A Get Power Reading answer: 245 W now, 180/320/250 W min/max/avg, 1 h period, active. */
    static byte[] normal() {
        return new byte[] {
            0x00, (byte) 0xDC,
            (byte) 0xF5, 0x00, // current 245
            (byte) 0xB4, 0x00, // min 180
            0x40, 0x01, // max 320
            (byte) 0xFA, 0x00, // avg 250
            0x78, 0x56, 0x34, 0x12, // timestamp 0x12345678
            (byte) 0x80, (byte) 0xEE, 0x36, 0x00, // period 3,600,000 ms
            0x40, // state: active
        };
    }

    @Test
    void decodesANormalReading() {
        byte[] r = normal();
        assertThat(Dcmi.check(r, r.length)).isEqualTo(Dcmi.Status.OK);
        assertThat(Dcmi.decode(r)).isEqualTo(new DcmiReading(245, 180, 320, 250, 0x12345678L, 3_600_000L, true));
    }

    @Test
    void completionCodeC1IsUnsupported() {
        byte[] r = {(byte) 0xC1};
        assertThat(Dcmi.check(r, 1)).isEqualTo(Dcmi.Status.COMPLETION_CODE);
        assertThat(Dcmi.describe(Dcmi.Status.COMPLETION_CODE, r)).contains("0xc1").contains("does not support");
    }

    @Test
    void allZerosIsNotZeroWatts() {
        byte[] r = new byte[19];
        r[1] = (byte) 0xDC;
        assertThat(Dcmi.check(r, r.length)).isEqualTo(Dcmi.Status.ALL_ZERO);
    }

    @Test
    void shortAndInactiveAndWrongGroup() {
        byte[] r = normal();
        assertThat(Dcmi.check(r, 12)).isEqualTo(Dcmi.Status.SHORT);
        r[18] = 0;
        assertThat(Dcmi.check(r, 19)).isEqualTo(Dcmi.Status.INACTIVE);
        r = normal();
        r[1] = 0x00;
        assertThat(Dcmi.check(r, 19)).isEqualTo(Dcmi.Status.BAD_GROUP);
    }

    /** A scripted BMC: each reading returns the next canned answer. */
    static final class FakeBmc implements DcmiTransport {
        final Deque<byte[]> answers = new ArrayDeque<>();

        @Override
        public int powerReading(byte[] resp) throws NativeException {
            byte[] a = answers.poll();
            if (a == null) {
                throw new NativeException("poll", Errno.ETIMEDOUT, "no response");
            }
            System.arraycopy(a, 0, resp, 0, a.length);
            return a.length;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void sourceGoesUnavailableAndBackWithReasons() {
        FakeBmc bmc = new FakeBmc();
        byte[] zeros = new byte[19];
        zeros[1] = (byte) 0xDC;
        bmc.answers.add(normal());
        bmc.answers.add(new byte[] {(byte) 0xC1});
        bmc.answers.add(zeros);
        bmc.answers.add(normal());
        bmc.answers.add(normal());
        DcmiSource s = DcmiSource.over(bmc); // first reading: normal
        assertThat(s.availability().available()).isTrue();
        assertThat(s.watts(0)).isEqualTo(245.0);
        assertThat(s.lastReading().averageWatts()).isEqualTo(250);

        assertThat(s.sample(1)).isFalse();
        assertThat(s.availability().reason()).contains("0xc1");
        assertThat(s.watts(0)).isNaN();
        assertThat(s.lastReading()).isNull();

        assertThat(s.sample(2)).isFalse();
        assertThat(s.availability().reason()).contains("all zeros");
        assertThat(s.watts(0)).isNaN();

        assertThat(s.sample(1_000_000_000L)).isTrue();
        assertThat(s.sample(3_000_000_000L)).isTrue();
        assertThat(s.energyMicrojoules(0)).isEqualTo(490_000_000L); // 245 W for 2 s
        assertThat(s.sample(4_000_000_000L)).isFalse(); // timeout
        assertThat(s.availability().reason()).contains("no response");
    }
}
