package dev.eekbp.agent.power.ipmi;

import dev.eekbp.agent.ffi.NativeException;

/** Sends Get Power Reading to a BMC and fills resp (completion code first). */
public interface DcmiTransport extends AutoCloseable {
    /** Returns the response length. */
    int powerReading(byte[] resp) throws NativeException;

    @Override
    void close();
}
