package dev.eekbp.agent.kernel;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import java.nio.file.Path;

/** Turns errno values of module syscalls into messages that name the fix. */
final class ModuleErrors {
    private ModuleErrors() {
    }

    static KernelException load(String module, Path file, NativeException e) {
        String what = "loading " + module + " from " + file + " failed (" + e.errnoName() + "): ";
        String hint = switch (e.errno()) {
            case Errno.EPERM -> "needs root / CAP_SYS_MODULE, or module loading is disabled"
                    + " (kernel.modules_disabled=1)";
            case Errno.ENOSYS -> "kernel without module support (CONFIG_MODULES=n); EE-KBP cannot run here";
            case Errno.ENOEXEC, Errno.EINVAL -> "module built for another kernel; rebuild it with DKMS"
                    + " (dkms autoinstall -k $(uname -r)) and check dmesg";
            case Errno.EKEYREJECTED, Errno.ENOKEY, Errno.EKEYEXPIRED, Errno.EKEYREVOKED ->
                    "signature rejected: with Secure Boot enabled, sign the module with an enrolled MOK key"
                            + " (dkms signs automatically once 'mokutil --import' of its key is done)";
            case Errno.ENOENT -> "module file not found or a symbol it needs is missing"
                    + " (load eekbp before eekbp_livepatch)";
            case Errno.EBUSY -> "another livepatch transition is in progress; retry later";
            case Errno.ENODEV -> "the module found no usable device (see dmesg)";
            case Errno.ENOMEM -> "out of memory";
            case Errno.EACCES -> "permission denied reading the module file";
            default -> "see dmesg for the kernel's reason";
        };
        return new KernelException(what + hint, e);
    }

    static KernelException unload(String module, NativeException e) {
        String what = "unloading " + module + " failed (" + e.errnoName() + "): ";
        String hint = switch (e.errno()) {
            case Errno.EPERM -> "needs root / CAP_SYS_MODULE";
            case Errno.ENOSYS -> "kernel without module support";
            case Errno.EBUSY, Errno.EAGAIN -> "module is in use (livepatch still enabled or in transition?)";
            default -> "see dmesg";
        };
        return new KernelException(what + hint, e);
    }
}
