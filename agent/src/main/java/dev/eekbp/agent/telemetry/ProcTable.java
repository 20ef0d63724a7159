package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.ffi.TextScan;

/**
 * Allocation-free helpers for the per-CPU tables of /proc/interrupts and
 * /proc/softirqs: a header of "CPUn" columns, then "label: n n n ..." rows.
 */
final class ProcTable {
    private ProcTable() {
    }

    /** Number of CPU columns in the header line. */
    static int cpuColumns(SysFile f, int len) {
        int end = TextScan.nextLine(f, 0, len);
        int n = 0;
        for (int i = 0; i + 2 < end; i++) {
            if (f.byteAt(i) == 'C' && f.byteAt(i + 1) == 'P' && f.byteAt(i + 2) == 'U') {
                n++;
                i += 2;
            }
        }
        return n;
    }

    /** Index of the ':' ending the row label that starts at i, or -1. */
    static int labelEnd(SysFile f, int i, int lineEnd) {
        for (int k = i; k < lineEnd; k++) {
            byte b = f.byteAt(k);
            if (b == ':') {
                return k;
            }
            if (b == ' ' && k > i) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Adds up to cols per-CPU numbers starting at i into acc[0..cols);
     * returns the index after the last number read.
     */
    static int addCounts(SysFile f, int i, int lineEnd, int cols, long[] acc) {
        for (int c = 0; c < cols; c++) {
            i = TextScan.skipSpaces(f, i, lineEnd);
            long v = TextScan.parseUnsigned(f, i, lineEnd);
            if (v < 0) {
                break;
            }
            if (c < acc.length) {
                acc[c] += v;
            }
            i = TextScan.skipDigits(f, i, lineEnd);
        }
        return i;
    }
}
