#!/bin/bash
# Second stage of the eekbp test guest, chrooted into the host's userspace:
# give /lib/modules this kernel's modules, bring up lo and eth0, export the
# test environment and run the test's script. Prints EEKBP-EXIT for the host.
dir=$1
# shellcheck disable=SC1091
. "$dir/env.sh"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

fail() {
	echo "eekbp-stage2: $*"
	echo 255 >"$RESULTS/.eekbp-exit-code"
	exit 255
}

# modprobe inside the guest must find the guest kernel's own modules
# (systemd guests have them already, on a writable overlay).
if ! mountpoint -q "/lib/modules/$KVER"; then
	if ! mkdir -p "/lib/modules/$KVER" 2>/dev/null; then
		mount -t tmpfs -o mode=0755 modules /lib/modules &&
			mkdir -p "/lib/modules/$KVER" || fail "cannot create /lib/modules/$KVER"
	fi
	mount --bind "$EEKBP_KMODDIR" "/lib/modules/$KVER" || fail "no modules at $EEKBP_KMODDIR"
fi

ip link set lo up
case "$EEKBP_NIC" in
none) ;;
*)
	[ "$EEKBP_NIC" = e1000e ] && modprobe e1000e
	for _ in $(seq 50); do
		[ -e /sys/class/net/eth0 ] && break
		sleep 0.1
	done
	ip addr add "$EEKBP_GUEST_ADDR/24" dev eth0 || fail "no eth0"
	ip link set eth0 up || fail "cannot bring eth0 up"
	# e1000e reports carrier a moment after link up; tests expect a usable link.
	for _ in $(seq 100); do
		[ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ] && break
		sleep 0.1
	done
	[ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ] || echo "eekbp-stage2: eth0 has no carrier"
	;;
esac

cd "$RESULTS" || fail "no $RESULTS"
bash "$dir/script.sh" </dev/null
rc=$?
echo "$rc" >"$RESULTS/.eekbp-exit-code"
sync
exit "$rc"
