package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything that defines one guest boot. Build with {@link #builder(Kernel)}. */
public record GuestSpec(
        Kernel kernel,
        String name,
        String script,
        int smp,
        int memoryMb,
        Nic nic,
        List<String> kernelArgs,
        List<String> qemuArgs,
        Map<String, String> env,
        Duration timeout) {

    public GuestSpec {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(script, "script");
        if (smp < 1 || memoryMb < 128) {
            throw new IllegalArgumentException("smp must be >= 1 and memoryMb >= 128");
        }
        kernelArgs = List.copyOf(kernelArgs);
        qemuArgs = List.copyOf(qemuArgs);
        env = Map.copyOf(env);
    }

    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Defaults: 1 vCPU, 1024 MiB, virtio-net, 3 minutes. */
    public static final class Builder {
        private final Kernel kernel;
        private String name = "guest";
        private String script;
        private int smp = 1;
        private int memoryMb = 1024;
        private Nic nic = Nic.VIRTIO;
        private final List<String> kernelArgs = new ArrayList<>();
        private final List<String> qemuArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration timeout = Duration.ofMinutes(3);

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** A short label for log file names (letters, digits, '-'). */
        public Builder name(String name) {
            this.name = name.replaceAll("[^A-Za-z0-9-]", "-");
            return this;
        }

        /** A bash script run as root inside the guest. */
        public Builder script(String script) {
            this.script = script;
            return this;
        }

        public Builder scriptFile(Path file) {
            try {
                this.script = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read guest script " + file, e);
            }
            return this;
        }

        public Builder smp(int smp) {
            this.smp = smp;
            return this;
        }

        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder nic(Nic nic) {
            this.nic = Objects.requireNonNull(nic);
            return this;
        }

        /** Extra kernel command line words (may be called several times). */
        public Builder kernelArgs(String... args) {
            for (String a : args) {
                kernelArgs.addAll(List.of(a.trim().split("\\s+")));
            }
            kernelArgs.removeIf(String::isEmpty);
            return this;
        }

        /** Extra QEMU arguments, appended as given. */
        public Builder qemuArgs(List<String> args) {
            qemuArgs.addAll(args);
            return this;
        }

        /** An extra environment variable for the guest script. */
        public Builder env(String key, String value) {
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad env name " + key);
            }
            env.put(key, value);
            return this;
        }

        /**
         * systemd as PID 1 instead of the chroot: the host root under a tmpfs
         * overlay (writable, changes die with the guest), eth0 keeps its name,
         * and the script runs as eekbp-test.service after basic.target, so it
         * can install packages and drive units with systemctl.
         */
        public Builder systemd() {
            return kernelArgs("eekbp.init=systemd systemd.unit=eekbp-test.target net.ifnames=0");
        }

        /** Wall-clock limit for the whole boot; QEMU is killed after it. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public GuestSpec build() {
            if (script == null) {
                throw new IllegalStateException("a guest needs script(...) or scriptFile(...)");
            }
            return new GuestSpec(kernel, name, script, smp, memoryMb, nic, kernelArgs,
                    qemuArgs, env, timeout);
        }
    }
}
