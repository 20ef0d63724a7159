package dev.eekbp.agent.ffi;

/** Allocation-free scanning of ASCII text held in a {@link SysFile}. */
public final class TextScan {
    private TextScan() {
    }

    /** Index of the first byte at or after i that is not a space or tab. */
    public static int skipSpaces(SysFile f, int i, int end) {
        while (i < end) {
            byte b = f.byteAt(i);
            if (b != ' ' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Index just past the next '\n' at or after i (or end). */
    public static int nextLine(SysFile f, int i, int end) {
        while (i < end && f.byteAt(i) != '\n') {
            i++;
        }
        return i < end ? i + 1 : end;
    }

    /** Index of the first byte at or after i that is a digit-ending delimiter. */
    public static int skipDigits(SysFile f, int i, int end) {
        while (i < end && isDigit(f.byteAt(i))) {
            i++;
        }
        return i;
    }

    /** Index of the next space, tab or newline at or after i. */
    public static int skipToken(SysFile f, int i, int end) {
        while (i < end) {
            byte b = f.byteAt(i);
            if (b == ' ' || b == '\t' || b == '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The unsigned decimal number starting at i; -1 when there is none. */
    public static long parseUnsigned(SysFile f, int i, int end) {
        if (i >= end || !isDigit(f.byteAt(i))) {
            return -1;
        }
        long v = 0;
        while (i < end) {
            byte b = f.byteAt(i);
            if (!isDigit(b)) {
                break;
            }
            v = v * 10 + (b - '0');
            i++;
        }
        return v;
    }

    /** True when the bytes at i equal the ASCII text s. */
    public static boolean startsWith(SysFile f, int i, int end, String s) {
        if (end - i < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (f.byteAt(i + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
