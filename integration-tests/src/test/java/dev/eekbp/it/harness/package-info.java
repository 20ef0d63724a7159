/**
 * QEMU guest harness for integration tests.
 *
 * <p>A test describes a guest with {@link dev.eekbp.it.harness.GuestSpec}
 * (kernel, bash script, vCPUs, memory, NIC, extra kernel and QEMU args,
 * timeout) and boots it with {@link dev.eekbp.it.harness.Guest#start} or
 * {@link dev.eekbp.it.harness.Guest#run}. The guest boots the Debian kernel
 * under TCG with a busybox initramfs (scripts/make-initramfs.sh, cached in
 * build/initramfs), chroots into the host root (read-only 9p) and runs the
 * script as root with cwd and $RESULTS = /results (writable 9p, the host's
 * {@code results()} folder), $KVER, $MODDIR (build/modules/&lt;kver&gt;),
 * $EEKBP_ROOT, $EEKBP_GUEST_ADDR, $EEKBP_HOST_ADDR. /lib/modules/$KVER holds
 * the kernel's own modules, so modprobe works. /tmp, /run, /dev/shm are
 * tmpfs; debugfs is mounted.
 *
 * <p>With a NIC, the tap lives in a fresh namespace ("eekbp-it-p&lt;pid&gt;-&lt;hex&gt;",
 * host 198.18.0.1/24, guest eth0 198.18.0.2/24); {@code hostExec} and
 * {@code hostSpawn} run commands inside it. Script output goes to the serial
 * log (integration-tests/target/guest-logs/&lt;id&gt;.log); the kernel runs
 * with "quiet" (add kernelArgs("loglevel=7") for console messages). Print one
 * "TEST: name [ OK ]" / "[FAIL]" line per case and call
 * {@code assertTestsPassed()}. Failures carry the serial log tail.
 *
 * <p>{@code GuestSpec.Builder.systemd()} boots systemd as PID 1 instead of
 * the chroot: the host root under a tmpfs overlay (writable, changes die with
 * the guest; the host's /proc, /sys, /dev, /run, /tmp and container marker
 * hidden), /lib/modules/$KVER a writable overlay of the kernel's modules,
 * eth0 not renamed; the script runs as eekbp-test.service after basic.target
 * (systemd.unit=eekbp-test.target) and its exit code ends QEMU.
 *
 * <p>close() kills QEMU and the commands spawned with hostSpawn, and deletes
 * the namespace; a shutdown hook does the same on SIGTERM, and a later run
 * sweeps leftovers of JVMs that were killed with SIGKILL.
 */
package dev.eekbp.it.harness;
