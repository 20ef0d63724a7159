package dev.eekbp.it.harness;

/** The guest's network card. Every NIC sits on a tap in a private netns. */
public enum Nic {
    /** virtio-net-pci (driver virtio_net). */
    VIRTIO("virtio-net-pci"),
    /** Intel 82574 (driver e1000e, loaded by modprobe inside the guest). */
    E1000E("e1000e"),
    /** No network card and no namespace. */
    NONE(null);

    private final String qemuDevice;

    Nic(String qemuDevice) {
        this.qemuDevice = qemuDevice;
    }

    /** The QEMU -device model, or null for {@link #NONE}. */
    String qemuDevice() {
        return qemuDevice;
    }

    /** The name the guest init uses (eekbp.nic=). */
    String guestName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
