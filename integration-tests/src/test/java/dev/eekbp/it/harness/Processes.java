package dev.eekbp.it.harness;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills process trees (QEMU and the wrappers around it). */
final class Processes {

    private Processes() {
    }

    /** SIGTERM the tree, give it a moment, then SIGKILL what is left. */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle h : tree) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(20);
            }
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // A process we could not reap shows up in the cleanup checks.
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
