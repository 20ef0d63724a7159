package dev.eekbp.agent.power.ipmi;

/**
 * DCMI Get Power Reading (DCMI 1.5 sect. 6.6.1): the request bytes and the
 * decoding of the response, including the ways real BMCs say "no reading".
 */
public final class Dcmi {
    public static final int NETFN_DCGRP = 0x2C;
    public static final int CMD_GET_POWER_READING = 0x02;
    public static final int GROUP_EXTENSION = 0xDC;
    public static final int CC_OK = 0x00;
    public static final int CC_INVALID_COMMAND = 0xC1;
    /** Mode 1: system power statistics. */
    public static final byte[] REQUEST = {(byte) GROUP_EXTENSION, 0x01, 0x00, 0x00};
    public static final int RESPONSE_LENGTH = 19;

    /** Outcome of decoding one response. */
    public enum Status {
        OK("reading valid"),
        COMPLETION_CODE("BMC returned a non-zero completion code"),
        SHORT("response shorter than 19 bytes"),
        BAD_GROUP("response does not carry the DCMI group extension 0xDC"),
        ALL_ZERO("BMC answered all zeros: no power sensor behind DCMI"),
        INACTIVE("BMC reports power measurement inactive");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private Dcmi() {
    }

    /** Checks resp[0..len) (completion code first); OK means the fields are valid. */
    public static Status check(byte[] resp, int len) {
        if (len >= 1 && (resp[0] & 0xFF) != CC_OK) {
            return Status.COMPLETION_CODE;
        }
        if (len < RESPONSE_LENGTH) {
            return Status.SHORT;
        }
        if ((resp[1] & 0xFF) != GROUP_EXTENSION) {
            return Status.BAD_GROUP;
        }
        boolean zero = true;
        for (int i = 2; i < 18; i++) {
            if (resp[i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return Status.ALL_ZERO;
        }
        if ((resp[18] & 0x40) == 0) {
            return Status.INACTIVE;
        }
        return Status.OK;
    }

    public static int completionCode(byte[] resp) {
        return resp[0] & 0xFF;
    }

    public static int currentWatts(byte[] r) {
        return u16(r, 2);
    }

    public static int minWatts(byte[] r) {
        return u16(r, 4);
    }

    public static int maxWatts(byte[] r) {
        return u16(r, 6);
    }

    public static int averageWatts(byte[] r) {
        return u16(r, 8);
    }

    public static long timestampSeconds(byte[] r) {
        return u32(r, 10);
    }

    public static long periodMillis(byte[] r) {
        return u32(r, 14);
    }

    public static boolean active(byte[] r) {
        return (r[18] & 0x40) != 0;
    }

    /** A record of a response that check() accepted. */
    public static DcmiReading decode(byte[] r) {
        return new DcmiReading(currentWatts(r), minWatts(r), maxWatts(r), averageWatts(r),
                timestampSeconds(r), periodMillis(r), active(r));
    }

    /** Operator text for a failed check. */
    public static String describe(Status s, byte[] resp) {
        if (s == Status.COMPLETION_CODE) {
            int cc = completionCode(resp);
            return "DCMI Get Power Reading: completion code 0x" + Integer.toHexString(cc)
                    + (cc == CC_INVALID_COMMAND ? " (BMC does not support DCMI power readings)" : "");
        }
        return "DCMI Get Power Reading: " + s.text();
    }

    private static int u16(byte[] r, int o) {
        return (r[o] & 0xFF) | (r[o + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] r, int o) {
        return (r[o] & 0xFFL) | (r[o + 1] & 0xFFL) << 8 | (r[o + 2] & 0xFFL) << 16 | (r[o + 3] & 0xFFL) << 24;
    }
}
