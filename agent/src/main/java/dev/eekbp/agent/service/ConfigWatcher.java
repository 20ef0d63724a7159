package dev.eekbp.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a changed config file by polling mtime, size and inode (this also
 * sees editors that replace the file, and works on 9p/NFS where inotify does
 * not), or an explicit request such as SIGHUP.
 */
public final class ConfigWatcher {
    private final Path file;
    private final AtomicBoolean requested = new AtomicBoolean();
    private Object lastKey;

    public ConfigWatcher(Path file) {
        this.file = file;
        this.lastKey = key();
    }

    private Object key() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Asks for a reload at the next poll (called from the SIGHUP handler). */
    public void request() {
        requested.set(true);
    }

    /** True once per change or request. */
    public boolean changed() {
        Object k = key();
        boolean fileChanged = k != null && !Objects.equals(k, lastKey);
        if (k != null) {
            lastKey = k;
        }
        return requested.getAndSet(false) | fileChanged;
    }
}
