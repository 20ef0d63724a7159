#!/bin/bash
# eekbp kernel tests, one guest boot (-smp 2: CPU 0 served, CPU 1 not).
# eth0: virtio-net on a host tap; the host runs host-traffic.sh against
# sockperf on 198.18.0.2:11111. Optional eekbp-e1000e/eekbp-peer NICs (MACs
# 52:54:00:eb:01:01/02) share a QEMU hub for the e1000e case.
# Prints one "TEST: <name> [ OK ]|[FAIL]" line per case.
# env: MODDIR, RESULTS, KVER; CYCLES (default 20) load/unload cycles,
# CYCLE_MODES (default "eekbp kbp") the modes the cycles alternate over.
CYCLES=${CYCLES:-20}
read -r -a cycle_modes <<<"${CYCLE_MODES:-eekbp kbp}"
TESTS_FILE=$RESULTS/kernel-tests.txt
# shellcheck source=lib.sh
. "$EEKBP_ROOT/integration-tests/src/test/resources/guest/kernel/lib.sh"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	touch "$RESULTS/done"
}
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cur_freq() { cat /sys/devices/system/cpu/cpu$1/cpufreq/scaling_cur_freq; }

# --- veth pair into a netns: netif_rx backlog path ---------------------
veth_netns_up 0

# Round trips over veth in a loop until bg_stop; counts runs that failed.
bg_start() { # <cpu>
	rm -f /tmp/eekbp-bg-stop /tmp/eekbp-bg-runs
	(
		while [ ! -e /tmp/eekbp-bg-stop ]; do
			if veth_pingpong 2 "$1"; then
				echo ok
			else
				echo fail
				cat /tmp/veth.out >>/tmp/eekbp-bg-fail.log
			fi
		done >/tmp/eekbp-bg-runs
	) &
	bg_pid=$!
}
bg_stop() { # succeeds when some runs completed and none failed
	touch /tmp/eekbp-bg-stop
	wait "$bg_pid"
	local ok fail
	ok=$(grep -c ok /tmp/eekbp-bg-runs)
	fail=$(grep -c fail /tmp/eekbp-bg-runs)
	log "background veth traffic: $ok runs ok, $fail failed"
	[ "$fail" -eq 0 ] || tail -20 /tmp/eekbp-bg-fail.log
	[ "$ok" -gt 0 ] && [ "$fail" -eq 0 ]
}

# --- e1000e pair on a QEMU hub (when present) --------------------------
e1000e_if=
peer_if=
if modprobe e1000e 2>/dev/null; then
	sleep 1
	for n in /sys/class/net/*; do
		case "$(cat "$n/address")" in
		52:54:00:eb:01:01) e1000e_if=${n##*/} ;;
		52:54:00:eb:01:02) peer_if=${n##*/} ;;
		esac
	done
fi
if [ -n "$e1000e_if" ] && [ -n "$peer_if" ]; then
	ip netns add eekbp-pn
	ip link set "$peer_if" netns eekbp-pn
	ip addr add 10.202.0.1/24 dev "$e1000e_if"
	ip link set "$e1000e_if" up
	ip -n eekbp-pn addr add 10.202.0.2/24 dev "$peer_if"
	ip -n eekbp-pn link set "$peer_if" up
	pin_irqs "$e1000e_if" 1
	taskset -c 0 sockperf server -i 10.202.0.1 -p 11113 >/dev/null 2>&1 &
	pids+=($!)
fi
e1000e_pingpong() {
	ip netns exec eekbp-pn taskset -c 1 sockperf ping-pong -i 10.202.0.1 \
		-p 11113 -t "$1" --mps=300 >/tmp/e1000e.out 2>&1 &&
		grep -q 'Summary: Latency' /tmp/e1000e.out
}

# --- virtio-net eth0 served by CPU 0 -----------------------------------
pin_irqs eth0 1
taskset -c 0 sockperf server -i 198.18.0.2 -p 11111 >/dev/null 2>&1 &
pids+=($!)
sleep 1
touch "$RESULTS/server-up"

# Stock path first, as a reference for the NET_RX counters.
n0=$(netrx 0)
sleep 4
stock_netrx=$(($(netrx 0) - n0))
log "stock: NET_RX on CPU 0 over 4 s of host traffic: $stock_netrx"

check load-modules load cpus=0 mode=eekbp quota=64
check abi-version test "$(cat $S/abi_version)" = 1
check stats-bin-header test "$(od -A n -t x4 -N 4 $S/stats.bin | tr -d ' ')" = 50424b45

# Served traffic: thread counters rise, NET_RX on CPU 0 stays flat.
served_case() { # <name> <traffic command...>
	local name=$1 p0 r0 dp dr
	shift
	p0=$(stat_of 0 packets)
	r0=$(netrx 0)
	"$@"
	local rc=$?
	dp=$(($(stat_of 0 packets) - p0))
	dr=$(($(netrx 0) - r0))
	log "$name: thread packets +$dp, NET_RX cpu0 +$dr, traffic rc=$rc"
	[ "$rc" -eq 0 ] && [ "$dp" -ge 50 ] && [ "$dr" -le $((5 + dp / 50)) ]
}
host_window() { sleep "$1"; }
check virtio-served-by-thread served_case virtio host_window 5
check veth-backlog-served-by-thread served_case veth veth_pingpong 4
if [ -n "$e1000e_if" ]; then
	check e1000e-served-by-thread served_case e1000e e1000e_pingpong 4
else
	echo "TEST: e1000e-served-by-thread [SKIP]"
fi

# Idle CPU time of the thread over 5 s without traffic.
idle_ticks() { # <mode>
	local pid t0
	echo "$1" >$S/mode
	sleep 1
	pid=$(thread_pid 0)
	t0=$(cpu_ticks "$pid")
	sleep 5
	echo $(($(cpu_ticks "$pid") - t0))
}
pause_host
eekbp_ticks=$(idle_ticks eekbp)
kbp_ticks=$(idle_ticks kbp)
echo eekbp >$S/mode
log "thread CPU ticks (USER_HZ) over 5 s idle: eekbp=$eekbp_ticks kbp=$kbp_ticks"
echo "idle_ticks_5s eekbp=$eekbp_ticks kbp=$kbp_ticks" >>"$RESULTS/kernel-metrics.txt"
check idle-cpu-eekbp-below-1pct test "$eekbp_ticks" -lt 5
check idle-cpu-kbp-above-90pct test "$kbp_ticks" -gt 450
resume_host

# Frequency: min while asleep, max while polling (test cpufreq driver).
freq_case() {
	local up0 down0 idle busy
	modprobe cpufreq_userspace || return 1
	insmod "$MODDIR/eekbp_testfreq.ko" || return 1
	for c in 0 1; do
		echo userspace >/sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor || return 1
	done
	# the unserved CPU must keep what its governor set
	echo 1600000 >/sys/devices/system/cpu/cpu1/cpufreq/scaling_setspeed || return 1
	up0=$(stat_of 0 freq_up)
	down0=$(stat_of 0 freq_down)
	echo 1 >$S/freq_ctl
	pause_host
	sleep 1
	idle=$(cur_freq 0)
	echo kbp >$S/mode
	sleep 1
	busy=$(cur_freq 0)
	echo eekbp >$S/mode
	resume_host
	sleep 4
	log "freq: idle=$idle kHz polling=$busy kHz cpu1=$(cur_freq 1) up=$(($(stat_of 0 freq_up) - up0)) down=$(($(stat_of 0 freq_down) - down0))"
	[ "$idle" = 800000 ] && [ "$busy" = 2400000 ] &&
		[ "$(cur_freq 1)" = 1600000 ] &&
		[ $(($(stat_of 0 freq_up) - up0)) -ge 2 ] &&
		[ $(($(stat_of 0 freq_down) - down0)) -ge 2 ]
}
check freq-min-idle-max-polling freq_case

# Bad sysfs writes are rejected and change nothing.
bad_write() { # <attr> <value>
	local before after
	before=$(cat "$S/$1")
	if echo "$2" >"$S/$1" 2>/dev/null; then
		log "write '$2' to $1 accepted"
		return 1
	fi
	after=$(cat "$S/$1")
	[ "$before" = "$after" ] || { log "$1 changed: $before -> $after"; return 1; }
}
bad_writes() {
	local rc=0
	bad_write mode fast || rc=1
	bad_write mode "" || rc=1
	bad_write cpus 7 || rc=1
	bad_write cpus 0-9 || rc=1
	bad_write cpus abc || rc=1
	bad_write cpus "" || rc=1
	bad_write devices nosuchdev0 || rc=1
	bad_write devices "eth0,nosuchdev0" || rc=1
	bad_write devices "eth0," || rc=1
	bad_write quota 0 || rc=1
	bad_write quota 1025 || rc=1
	bad_write quota 12x || rc=1
	bad_write quota -1 || rc=1
	bad_write freq_ctl 2 || rc=1
	bad_write enabled yes || rc=1
	bad_write freq_min_khz abc || rc=1
	echo 1000000 >$S/freq_max_khz || rc=1
	bad_write freq_min_khz 2000000 || rc=1
	echo 0 >$S/freq_max_khz || rc=1
	bad_write abi_version 2 || rc=1
	return $rc
}
check bad-sysfs-writes-rejected bad_writes
good_writes() {
	echo eth0 >$S/devices && [ "$(cat $S/devices)" = eth0 ] &&
		echo "" >$S/devices && [ "$(cat $S/devices)" = "" ] &&
		echo 128 >$S/quota && [ "$(cat $S/quota)" = 128 ] &&
		echo 64 >$S/quota && echo 0-1 >$S/cpus &&
		[ "$(cat $S/cpus)" = 0-1 ] && echo 0 >$S/cpus
}
check good-sysfs-writes-applied good_writes

# Counters and histograms for the report (log2 ns buckets, CPU 0 record).
{
	cat $S/stats
	echo "wake_lat_hist_cpu0:$(od -A n -t u8 -j 96 -N 256 -v $S/stats.bin | tr -s ' \n' ' ')"
	echo "freq_lat_hist_cpu0:$(od -A n -t u8 -j 352 -N 256 -v $S/stats.bin | tr -s ' \n' ' ')"
} >>"$RESULTS/kernel-metrics.txt"
cat "$RESULTS/kernel-metrics.txt"

# Runtime toggles under traffic (veth + host virtio traffic meanwhile).
toggles() {
	local i rc=0
	bg_start 1
	for i in $(seq 20); do
		echo kbp >$S/mode
		echo 1 >$S/freq_ctl
		snooze 0.1
		echo napi >$S/mode
		echo 0-1 >$S/cpus
		snooze 0.1
		echo eekbp >$S/mode
		echo 0 >$S/freq_ctl
		echo 1 >$S/cpus
		echo 0 >$S/enabled
		snooze 0.1
		echo 1 >$S/enabled
		echo 0 >$S/cpus
		echo $((i * 50)) >$S/quota
	done
	echo 64 >$S/quota
	bg_stop || rc=1
	veth_pingpong 1 && return $rc
}
check runtime-toggles-under-traffic toggles

# Load/unload cycles under traffic.
cycles() {
	local i rc=0 mode
	unload || return 1
	bg_start 0
	for i in $(seq "$CYCLES"); do
		mode=${cycle_modes[$(((i - 1) % ${#cycle_modes[@]}))]}
		log "cycle $i: load ($mode)"
		load cpus=0 mode=$mode ||
			{ log "cycle $i: load failed"; rc=1; break; }
		snooze 0.2
		unload || { log "cycle $i: unload failed"; rc=1; break; }
	done
	bg_stop || rc=1
	log "$i load/unload cycles done"
	return $rc
}
check "load-unload-cycles-x$CYCLES" cycles
[ -d $S ] && unload

stock_restored() {
	local r0 rx0
	r0=$(netrx 0)
	rx0=$(cat /sys/class/net/eth0/statistics/rx_packets)
	veth_pingpong 2 || return 1
	sleep 2
	log "after unload: NET_RX cpu0 +$(($(netrx 0) - r0)), eth0 rx +$(($(cat /sys/class/net/eth0/statistics/rx_packets) - rx0))"
	[ $(($(netrx 0) - r0)) -gt 50 ] &&
		[ $(($(cat /sys/class/net/eth0/statistics/rx_packets) - rx0)) -gt 50 ]
}
check traffic-on-stock-path-after-unload stock_restored
check dmesg-clean bash -c '! dmesg | grep -E "WARNING:|BUG:|Oops|RIP:|rcu_.*stall|blocked for more"'

log "done, $fails failed"
exit $((fails > 0))
