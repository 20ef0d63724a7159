#!/bin/bash
# Guest side of the container test: EE-KBP serving CPU 0, a Docker engine on
# CPU 1 (data on tmpfs, API on TCP 2375 for the host's Testcontainers, which
# builds and runs the echo image); then counters around the host's traffic.
# Handshake files in $RESULTS: ready -> (host) measure -> measuring ->
# (host) stop -> counters.txt -> (host) done.
set -u
SERVED=0
APP=1
SYSDIR=/sys/kernel/eekbp
LPDIR=/sys/kernel/livepatch/eekbp_livepatch
rc=0
ok() { echo "TEST: $1 [ OK ]"; }
ko() { echo "TEST: $1 [FAIL]"; rc=1; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else ko "$n"; fi; }
await() {
	local i
	for i in $(seq 1 "$2"); do
		[ -e "$RESULTS/$1" ] && return 0
		sleep 0.2
	done
	return 1
}

taskset -pc "$APP" $$ > /dev/null
for irq in $(awk '$NF ~ /^virtio[0-9]+-(input|output)/ { sub(":", "", $1); print $1 }' \
		/proc/interrupts); do
	echo "$SERVED" > /proc/irq/$irq/smp_affinity_list
done

# Docker needs writable /run and /var/lib pieces and cgroups; the host root is
# read-only, so everything lives on tmpfs.
mount -t tmpfs run /run
mount -t tmpfs etc-docker /etc/docker
mkdir -p /run/lock /tmp/docker /tmp/docker-exec
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup
for m in overlay bridge veth; do
	check "modprobe-$m" modprobe "$m"
done
# containerd first (dockerd's own start-up timeout is too short under TCG).
taskset -c "$APP" containerd --root /tmp/containerd --state /run/containerd \
	--address /run/containerd/containerd.sock > "$RESULTS/containerd.log" 2>&1 &
# Wait on files, not on CLI calls: every start of a Go binary read over 9p
# costs seconds under TCG.
for _ in $(seq 1200); do
	[ -S /run/containerd/containerd.sock ] && break
	sleep 0.25
done
check containerd-up test -S /run/containerd/containerd.sock
taskset -c "$APP" dockerd --data-root /tmp/docker --exec-root /tmp/docker-exec \
	--containerd /run/containerd/containerd.sock --pidfile /tmp/docker.pid \
	-H unix:///run/docker.sock -H tcp://0.0.0.0:2375 --tls=false \
	--iptables=false --ip6tables=false --storage-driver=overlay2 \
	> "$RESULTS/dockerd.log" 2>&1 &
# EE-KBP on the served CPU, when built; it loads while dockerd starts (both
# take tens of seconds under TCG).
eekbp=0
if [ -e "$MODDIR/eekbp.ko" ] && [ -e "$MODDIR/eekbp_livepatch.ko" ]; then
	check eekbp-load insmod "$MODDIR/eekbp.ko" mode=eekbp cpus=$SERVED
	check livepatch-load insmod "$MODDIR/eekbp_livepatch.ko"
	for _ in $(seq 900); do
		[ "$(cat $LPDIR/transition 2>/dev/null)" = 0 ] && break
		sleep 0.1
	done
	check livepatch-settled test "$(cat $LPDIR/transition 2>/dev/null)" = 0
	check eekbp-enable sh -c "echo 1 > $SYSDIR/enabled"
	eekbp=1
fi
echo "eekbp=$eekbp" > "$RESULTS/eekbp-present"

for _ in $(seq 1200); do
	grep -q 'API listen on \[::\]:2375' "$RESULTS/dockerd.log" && break
	sleep 0.25
done
check dockerd-up grep -q 'API listen on \[::\]:2375' "$RESULTS/dockerd.log"
touch "$RESULTS/ready"

counters() {
	local name rest rx=0 pk=0 line w v
	while read -r name rest; do
		[ "$name" = NET_RX: ] && { read -r -a v <<< "$rest"; rx=${v[$SERVED]}; }
	done < /proc/softirqs
	if [ -r $SYSDIR/stats ]; then
		while read -r line; do
			[ "${line%% *}" = "cpu=$SERVED" ] || continue
			for w in $line; do
				[ "${w%%=*}" = packets ] && pk=${w#*=}
			done
		done < $SYSDIR/stats
	fi
	echo "${1}_netrx_served=$rx"
	echo "${1}_eekbp_packets=$pk"
	read -r v < /sys/class/net/eth0/statistics/rx_packets
	echo "${1}_eth0_rx=$v"
	v=0
	[ -r /sys/class/net/docker0/statistics/rx_packets ] &&
		read -r v < /sys/class/net/docker0/statistics/rx_packets
	echo "${1}_veth_rx=$v"
}

if await measure 1500; then
	# runc resets the container's CPU affinity: keep the application (and
	# the proxy) off the served CPU, as the bench does with its echo server.
	for d in /proc/[0-9]*; do
		read -r comm < "$d/comm" 2>/dev/null || continue
		case $comm in
		udp-echo|docker-proxy) taskset -pc "$APP" "${d#/proc/}" > /dev/null ;;
		esac
	done
	counters before > "$RESULTS/counters.tmp"
	touch "$RESULTS/measuring"
	await stop 1500
	counters after >> "$RESULTS/counters.tmp"
	cat /proc/softirqs /proc/interrupts > "$RESULTS/irqs-after.txt"
	[ -r $SYSDIR/stats ] && cat $SYSDIR/stats > "$RESULTS/eekbp-stats.txt"
	ps -eo pid,psr,comm > "$RESULTS/ps.txt"
	mv "$RESULTS/counters.tmp" "$RESULTS/counters.txt"
else
	ko host-measure
fi
await done 1500 || ko host-done
kill "$(cat /tmp/docker.pid)" 2>/dev/null
for _ in $(seq 100); do [ -e /tmp/docker.pid ] || break; sleep 0.2; done
if [ "$eekbp" = 1 ]; then
	echo 0 > $SYSDIR/enabled
	echo 0 > $LPDIR/enabled
	for _ in $(seq 300); do [ -d $LPDIR ] || break; sleep 0.1; done
	check livepatch-unload rmmod eekbp_livepatch
	check eekbp-unload rmmod eekbp
fi
dmesg > "$RESULTS/dmesg.txt"
exit $rc
