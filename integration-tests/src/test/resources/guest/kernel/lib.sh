#!/bin/bash
# Helpers for the eekbp guest scripts (sourced). Expects MODDIR and RESULTS;
# the sourcing script sets TESTS_FILE (where TEST: lines also go).
S=/sys/kernel/eekbp
LP=/sys/kernel/livepatch/eekbp_livepatch
fails=0

log() { echo "eekbp-test: [${SECONDS}s] $*"; }
result() { # <name> <rc>
	local st="[ OK ]"
	if [ "$2" -ne 0 ]; then
		st="[FAIL]"
		fails=$((fails + 1))
	fi
	echo "TEST: $1 $st"
	echo "TEST: $1 $st" >>"$TESTS_FILE"
}
check() { # <name> <command...>
	local name=$1
	shift
	"$@"
	result "$name" $?
}

# Sleep without forking (every exec is slow under TCG).
mkfifo /tmp/eekbp-snooze
exec 9<>/tmp/eekbp-snooze
snooze() { read -r -t "$1" -u 9; }

netrx() { awk -v c=$(($1 + 2)) '/NET_RX/ { print $c }' /proc/softirqs; }
stat_of() { # <cpu> <field> of /sys/kernel/eekbp/stats (0 when absent)
	local v
	v=$(sed -n "s/^cpu=$1 .*[ ]$2=\([0-9]*\).*/\1/p" $S/stats 2>/dev/null)
	echo "${v:-0}"
}
# /proc/net/softnet_stat column (1-based, hex) of one CPU, in decimal.
# Columns: 1 processed, 2 dropped, 3 time_squeeze, 10 received_rps,
# 11 flow_limit_count, 13 CPU (6.1 and 6.12).
softnet() { # <cpu> <column>
	local -a f
	while read -r -a f; do
		if [ $((16#${f[12]})) -eq "$1" ]; then
			echo $((16#${f[$2 - 1]}))
			return
		fi
	done </proc/net/softnet_stat
	echo 0
}
irq_count() { # <irq> <cpu>: interrupts of one IRQ on one CPU
	awk -v i="$1:" -v c=$(($2 + 2)) '$1 == i { print $c }' /proc/interrupts
}
# TcpExt counter of /proc/net/netstat by name.
netstat_of() {
	awk -v n="$1" '/^TcpExt:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] == n) print $i } }' /proc/net/netstat
}
thread_pid() { pgrep -x "eekbp/$1"; }
# Wait until <cmd> succeeds, up to <tenths> x 0.1 s.
wait_for() { # <tenths> <cmd...>
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		snooze 0.1
	done
	"$@"
}
# Take a CPU offline or online; offlining can be refused for a moment (EBUSY).
cpu_online_set() { # <cpu> <0|1>
	echo "$2" >/sys/devices/system/cpu/cpu"$1"/online 2>/dev/null &&
		[ "$(cat /sys/devices/system/cpu/cpu"$1"/online)" = "$2" ]
}

# Wait until the livepatch transition ends (its folder goes on disable).
wait_transition() {
	local i t
	for i in $(seq 300); do
		[ -d $LP ] || return 0
		read -r t 2>/dev/null <$LP/transition && [ "$t" = 0 ] && return 0
		snooze 0.1
	done
	log "livepatch transition stuck; tasks not yet switched:"
	local p want
	read -r want <$LP/enabled
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/patch_state" 2>/dev/null)" = "$((1 - want))" ] || continue
		echo "${p#/proc/} $(cat "$p/comm") state=$(awk '{print $3}' "$p/stat")"
		head -12 "$p/stack" 2>/dev/null
	done
	dmesg | tail -5
	return 1
}
load() { # [eekbp params...]
	insmod "$MODDIR/eekbp.ko" "$@" || return 1
	insmod "$MODDIR/eekbp_livepatch.ko" || return 1
	wait_transition
}
unload() {
	echo 0 >$S/enabled 2>/dev/null
	if [ -d $LP ]; then
		echo 0 >$LP/enabled || return 1
		wait_transition || return 1
		rmmod eekbp_livepatch || return 1
	fi
	rmmod eekbp
}
# IRQs of a NIC: its MSI vectors (virtioN-input.M, ...) or its own name.
nic_irqs() { # <ifname> [pattern on the IRQ name, e.g. input.0]
	local dev
	dev=$(basename "$(readlink "/sys/class/net/$1/device")")
	[ -e "/sys/bus/virtio/devices/$dev" ] || dev=$1
	awk -v d="$dev" -v n="$1" -v p="${2:-}" \
		'$NF ~ "^("d"|"n")(-|$)" && index($NF, p) { sub(":", "", $1); print $1 }' \
		/proc/interrupts
}
pin_irqs() { # <ifname> <cpumask> [pattern]
	local irq
	for irq in $(nic_irqs "$1" "${3:-}"); do
		echo "$2" >"/proc/irq/$irq/smp_affinity"
	done
}
udp_stat() { # <field>: a Udp counter of /proc/net/snmp by name (RcvbufErrors, ...)
	awk -v f="$1" '/^Udp:/ {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i; next }
		print $c; exit
	}' /proc/net/snmp
}
dmesg_clean() {
	! dmesg | grep -E "WARNING:|BUG:|Oops|RIP:|rcu_.*stall|blocked for more|soft lockup|hung_task"
}
pause_host() { touch "$RESULTS/traffic-pause"; sleep 2.5; }
resume_host() { rm -f "$RESULTS/traffic-pause"; }
# A veth pair into netns eekbp-vn (10.201.0.1 <-> 10.201.0.2) with a sockperf
# server on port 11112 there: the netif_rx backlog path. Adds its PID to pids.
veth_netns_up() { # [cpu list of the server]
	modprobe veth
	ip netns add eekbp-vn
	ip link add eekbp-va type veth peer name eekbp-vb
	ip link set eekbp-vb netns eekbp-vn
	ip addr add 10.201.0.1/24 dev eekbp-va
	ip link set eekbp-va up
	ip -n eekbp-vn addr add 10.201.0.2/24 dev eekbp-vb
	ip -n eekbp-vn link set eekbp-vb up
	ip -n eekbp-vn link set lo up
	local pin=()
	[ -n "${1:-}" ] && pin=(taskset -c "$1")
	ip netns exec eekbp-vn "${pin[@]}" \
		sockperf server -i 10.201.0.2 -p 11112 >/dev/null 2>&1 &
	pids+=($!)
}
veth_pingpong() { # <seconds> [cpu]: succeeds when round trips complete
	taskset -c "${2:-0}" sockperf ping-pong -i 10.201.0.2 -p 11112 -t "$1" \
		--mps=300 >/tmp/veth.out 2>&1 &&
		grep -q 'Summary: Latency' /tmp/veth.out
}
