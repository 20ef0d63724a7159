package dev.eekbp.agent.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The OpenIPMI character device (/dev/ipmi0): one request to the BMC and its
 * response, the way ipmitool's "open" interface does it. Structures follow
 * include/uapi/linux/ipmi.h on x86-64. Not thread safe.
 */
public final class IpmiDevice implements AutoCloseable {
    static final long IPMICTL_SEND_COMMAND = 0x8028690DL;
    static final long IPMICTL_RECEIVE_MSG_TRUNC = 0xC030690BL;
    static final int IPMI_SYSTEM_INTERFACE_ADDR_TYPE = 0x0C;
    static final int IPMI_BMC_CHANNEL = 0x0F;
    static final int IPMI_RESPONSE_RECV_TYPE = 1;
    static final int ADDR_SIZE = 40; // struct ipmi_addr
    static final int REQ_SIZE = 40; // struct ipmi_req
    static final int RECV_SIZE = 48; // struct ipmi_recv
    static final int DATA_MAX = 272;

    private final RawFile file;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendAddr = arena.allocate(ADDR_SIZE, 8);
    private final MemorySegment recvAddr = arena.allocate(ADDR_SIZE, 8);
    private final MemorySegment req = arena.allocate(REQ_SIZE, 8);
    private final MemorySegment recv = arena.allocate(RECV_SIZE, 8);
    private final MemorySegment reqData = arena.allocate(DATA_MAX, 8);
    private final MemorySegment respData = arena.allocate(DATA_MAX, 8);
    private long msgid;

    private IpmiDevice(RawFile file) {
        this.file = file;
        // struct ipmi_system_interface_addr { int addr_type; short channel; u8 lun; }
        sendAddr.set(JAVA_INT, 0, IPMI_SYSTEM_INTERFACE_ADDR_TYPE);
        sendAddr.set(JAVA_SHORT, 4, (short) IPMI_BMC_CHANNEL);
        sendAddr.set(JAVA_BYTE, 6, (byte) 0);
    }

    public static IpmiDevice open(String path) throws NativeException {
        return new IpmiDevice(RawFile.open(path, RawFile.O_RDWR));
    }

    public String path() {
        return file.path();
    }

    /**
     * Sends netfn/cmd with data[0..len) to the BMC and copies the response data
     * (completion code first) into resp. Returns the response length.
     */
    public int request(int netfn, int cmd, byte[] data, int len, byte[] resp, int timeoutMs)
            throws NativeException {
        long id = ++msgid;
        MemorySegment.copy(data, 0, reqData, JAVA_BYTE, 0, len);
        req.set(ADDRESS, 0, sendAddr);
        req.set(JAVA_INT, 8, 8); // sizeof(struct ipmi_system_interface_addr)
        req.set(JAVA_LONG, 16, id);
        req.set(JAVA_BYTE, 24, (byte) netfn);
        req.set(JAVA_BYTE, 25, (byte) cmd);
        req.set(JAVA_SHORT, 26, (short) len);
        req.set(ADDRESS, 32, reqData);
        file.ioctl(IPMICTL_SEND_COMMAND, req);

        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
            if (left <= 0 || !file.pollIn(left)) {
                throw new NativeException("poll", Errno.ETIMEDOUT,
                        file.path() + ": no response from the BMC within " + timeoutMs + " ms (netfn 0x"
                                + Integer.toHexString(netfn) + " cmd 0x" + Integer.toHexString(cmd) + ")");
            }
            recv.set(ADDRESS, 8, recvAddr);
            recv.set(JAVA_INT, 16, ADDR_SIZE);
            recv.set(ADDRESS, 40, respData);
            recv.set(JAVA_SHORT, 34, (short) DATA_MAX);
            try {
                file.ioctl(IPMICTL_RECEIVE_MSG_TRUNC, recv);
            } catch (NativeException e) {
                if (e.errno() != Errno.EMSGSIZE) { // EMSGSIZE: truncated but delivered
                    throw e;
                }
            }
            if (recv.get(JAVA_INT, 0) == IPMI_RESPONSE_RECV_TYPE && recv.get(JAVA_LONG, 24) == id) {
                int n = Math.min(Short.toUnsignedInt(recv.get(JAVA_SHORT, 34)), resp.length);
                MemorySegment.copy(respData, JAVA_BYTE, 0, resp, 0, n);
                return n;
            }
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } finally {
            arena.close();
        }
    }
}
