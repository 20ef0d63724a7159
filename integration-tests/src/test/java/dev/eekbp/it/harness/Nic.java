package dev.eekbp.it.harness;

/** The guest's network card. Every NIC sits on a tap in a private netns. */
public enum Nic {
    /** virtio-net-pci (driver virtio_net). */
    VIRTIO("virtio-net-pci", 1),
    /** virtio-net-pci with two queue pairs on a multi-queue tap (eth0 rx-0, rx-1). */
    VIRTIO_MQ("virtio-net-pci,mq=on,vectors=6", 2),
    /** Intel 82574 (driver e1000e, loaded by modprobe inside the guest). */
    E1000E("e1000e", 1),
    /** No network card and no namespace. */
    NONE(null, 0);

    private final String qemuDevice;
    private final int queues;

    Nic(String qemuDevice, int queues) {
        this.qemuDevice = qemuDevice;
        this.queues = queues;
    }

    /** The QEMU -device model, or null for {@link #NONE}. */
    String qemuDevice() {
        return qemuDevice;
    }

    /** Queue pairs of the tap and the NIC (1 for a single-queue NIC). */
    int queues() {
        return queues;
    }

    /** The name the guest init uses (eekbp.nic=). */
    String guestName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
