package dev.eekbp.agent.service;

import dev.eekbp.agent.config.FileSafety;
import dev.eekbp.agent.ffi.Posix;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Refuses a config file that is not owned by root (or by the agent's own
 * user) or that group/others may write: whoever can write it controls
 * which kernel modules the agent loads.
 */
public final class RootOwnedFiles implements FileSafety {
    @Override
    public void check(Path file) throws IOException {
        Posix.FileOwner o = Posix.stat(file);
        int me = Posix.geteuid();
        if (o.uid() != 0 && o.uid() != me) {
            throw new IOException("unsafe: owned by uid " + o.uid() + ", must be owned by root (chown root:root "
                    + file + ")");
        }
        if (o.groupOrWorldWritable()) {
            throw new IOException("unsafe: mode " + String.format("%04o", o.mode())
                    + " lets group or others write it (chmod go-w " + file + ")");
        }
    }
}
