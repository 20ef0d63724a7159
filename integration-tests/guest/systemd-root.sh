# Sourced by the guest init for eekbp.init=systemd: the host root (read-only
# 9p) under a tmpfs overlay, so packages install and systemd writes where
# it wants, then systemd as PID 1. systemd starts eekbp-test.target
# (systemd.unit= on the kernel command line): basic.target plus
# eekbp-test.service, which runs stage2.sh like the chroot guests and ends
# QEMU with the script's exit code. Uses $dir, $p9, die and leave of init.
modprobe_overlay() {
	grep -qw overlay /proc/filesystems || die "no overlay filesystem (overlay.ko missing from the initramfs)"
}
modprobe_overlay
# shellcheck disable=SC1090
. "/host$dir/env.sh"
mkdir -p /ovl
mount -t tmpfs -o mode=0755 ovl /ovl
mkdir -p /ovl/root/upper /ovl/root/work /ovl/mod/upper /ovl/mod/work
# Whiteouts hide the host's API and scratch folders (the served host /proc
# under the overlay hangs mounts on it) and its container marker (systemd
# in a "container" ignores the kernel command line); fresh folders replace
# the hidden ones.
for d in proc sys dev run tmp .dockerenv; do
	mknod "/ovl/root/upper/$d" c 0 0 || die "cannot hide /$d"
done
mount -t overlay -o "lowerdir=/host,upperdir=/ovl/root/upper,workdir=/ovl/root/work" \
	root /newroot || die "cannot mount the overlay root"
# The guest kernel's modules, writable (DKMS installs into updates/dkms).
m=/newroot/lib/modules/$KVER
mkdir -p "$m" || die "cannot create $m"
# Its host path may run through absolute symlinks (a build/kernels link):
# resolve them against /host.
host_path() {
	out=
	rest=${1#/}
	n=0
	while [ -n "$rest" ]; do
		c=${rest%%/*}
		if [ "$c" = "$rest" ]; then rest=; else rest=${rest#*/}; fi
		if [ -L "/host$out/$c" ]; then
			n=$((n + 1))
			[ $n -le 40 ] || return 1
			t=$(readlink "/host$out/$c")
			case "$t" in
			/*) out= rest=${t#/}${rest:+/$rest} ;;
			*) rest=$t${rest:+/$rest} ;;
			esac
		else
			out=$out/$c
		fi
	done
	echo "$out"
}
kmod=$(host_path "$EEKBP_KMODDIR") || die "cannot resolve $EEKBP_KMODDIR"
mount -t overlay -o "lowerdir=/host$kmod,upperdir=/ovl/mod/upper,workdir=/ovl/mod/work" \
	modules "$m" || die "cannot mount the modules overlay on $m"
mkdir -p /newroot/results /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
chmod 1777 /newroot/tmp
mount -t 9p -o "$p9" results /newroot/results || die "cannot mount results"
# A checkout under /tmp stays visible; /run is systemd's tmpfs.
case "$dir" in
/run/?*) die "systemd guests need the checkout outside /run" ;;
/tmp/?*)
	top=$(echo "$dir" | cut -d/ -f1-3)
	mkdir -p "/newroot$top"
	mount -o bind "/host$top" "/newroot$top" || die "cannot bind $top"
	;;
esac

# The host's fstab, enabled units and persistent journal are not the guest's.
: >/newroot/etc/fstab
mkdir -p /newroot/etc/systemd/journald.conf.d /newroot/usr/local/lib/eekbp-guest
printf '[Journal]\nStorage=volatile\n' >/newroot/etc/systemd/journald.conf.d/eekbp-guest.conf
[ -s /newroot/etc/machine-id ] || echo 0123456789abcdef0123456789abcdef >/newroot/etc/machine-id
cp /stage2.sh /newroot/usr/local/lib/eekbp-guest/stage2.sh
cat >/newroot/usr/local/lib/eekbp-guest/run.sh <<RUN
#!/bin/bash
bash /usr/local/lib/eekbp-guest/stage2.sh "$dir"
rc=\$?
echo "EEKBP-EXIT: \$rc"
sync
printf "\\\\\$(printf %03o "\$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
RUN
cat >/newroot/etc/systemd/system/eekbp-test.target <<'UNIT'
[Unit]
Description=eekbp guest test
Requires=basic.target eekbp-test.service
After=basic.target
AllowIsolate=yes
UNIT
cat >/newroot/etc/systemd/system/eekbp-test.service <<'UNIT'
[Unit]
Description=eekbp guest test script
After=basic.target
[Service]
Type=oneshot
ExecStart=/bin/bash /usr/local/lib/eekbp-guest/run.sh
StandardInput=null
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/ttyS0
TimeoutStartSec=infinity
UNIT
mount --move /dev /newroot/dev
mount --move /sys /newroot/sys
mount --move /proc /newroot/proc
exec switch_root /newroot /lib/systemd/systemd
