package dev.eekbp.it.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The QEMU command line of one guest (TCG, q35, 9p host root, serial console). */
final class QemuCommand {

    /** Port of isa-debug-exit: writing v exits QEMU with (v << 1) | 1. */
    static final String DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04";
    static final String GUEST_MAC = "52:54:00:eb:00:02";

    private QemuCommand() {
    }

    /**
     * Single-threaded TCG by default: on a 2-core host, multi-threaded TCG
     * vCPUs descheduled by host load stall IPIs and livepatch transitions for
     * tens of seconds. -Deekbp.tcg=multi selects MTTCG.
     */
    static String accel() {
        String mode = System.getProperty("eekbp.tcg", "single");
        return "tcg,thread=" + ("multi".equals(mode) ? "multi" : "single");
    }

    static List<String> build(GuestSpec spec, String id, Path initrd, Path workDir, Path results,
            String tap) {
        Kernel k = spec.kernel();
        // no_timer_check: a loaded TCG host fails the IO-APIC timer check and panics.
        String append = String.join(" ", List.of("console=ttyS0", "quiet", "panic=-1",
                "tsc=reliable", "no_timer_check", "eekbp.dir=" + workDir));
        if (!spec.kernelArgs().isEmpty()) {
            append += " " + String.join(" ", spec.kernelArgs());
        }
        List<String> argv = new ArrayList<>(List.of(
                "qemu-system-x86_64", "-name", id,
                "-nodefaults", "-no-user-config", "-machine", "q35", "-accel", accel(),
                "-cpu", "max", "-smp", Integer.toString(spec.smp()),
                "-m", Integer.toString(spec.memoryMb()),
                "-kernel", k.vmlinuz().toString(), "-initrd", initrd.toString(),
                "-append", append,
                "-serial", "stdio", "-display", "none", "-no-reboot",
                "-device", DEBUG_EXIT,
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,"
                        + "multidevs=remap",
                "-virtfs", "local,path=" + results + ",mount_tag=results,security_model=none"));
        if (spec.nic() != Nic.NONE) {
            argv.addAll(List.of(
                    "-netdev", "tap,id=net0,ifname=" + tap + ",script=no,downscript=no"
                            + (spec.nic().queues() > 1 ? ",queues=" + spec.nic().queues() : ""),
                    "-device", spec.nic().qemuDevice() + ",netdev=net0,mac=" + GUEST_MAC));
        }
        argv.addAll(spec.qemuArgs());
        return argv;
    }
}
