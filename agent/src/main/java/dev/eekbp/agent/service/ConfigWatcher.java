package dev.eekbp.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a changed config file by polling mtime, size and inode of the path
 * itself and, when it is a symlink (config management layouts), of the file
 * it points to. This also sees editors that replace the file, and works on
 * 9p/NFS where inotify does not. A change is reported only once the file
 * looked the same at two polls in a row, so a file caught mid-write is not
 * applied. An explicit request (SIGHUP) is reported at the next poll.
 */
public final class ConfigWatcher {
    private final Path file;
    private final AtomicBoolean requested = new AtomicBoolean();
    private String lastKey;
    private String pending;

    public ConfigWatcher(Path file) {
        this.file = file;
        this.lastKey = key();
    }

    private String key() {
        String link = attrs(LinkOption.NOFOLLOW_LINKS);
        if (link == null) {
            return null;
        }
        return link + " -> " + attrs();
    }

    private String attrs(LinkOption... options) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, options);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Asks for a reload at the next poll (called from the SIGHUP handler). */
    public void request() {
        requested.set(true);
    }

    /** True once per settled change (unchanged since the previous poll) or request. */
    public boolean changed() {
        String k = key();
        boolean settled = false;
        if (k != null && !Objects.equals(k, lastKey)) {
            pending = k; // changed since the last poll: wait until it holds still
        } else if (k != null && k.equals(pending)) {
            pending = null;
            settled = true;
        }
        if (k != null) {
            lastKey = k;
        }
        return requested.getAndSet(false) | settled;
    }
}
