#!/bin/bash
# Datapath cases of eekbp that kernel-tests.sh does not cover, one guest boot
# (-smp 2, eth0 virtio-net with two queue pairs on a host tap). The host runs
# datapath-host.sh: a sockperf server on 198.18.0.1:11111 for the guest's
# ping-pong clients (their replies are the received traffic), a TCP bulk
# source on port 5001 (v4 and fd00:eb::1), and a UDP flood on request.
# Prints one "TEST: <name> [ OK ]|[FAIL]" line per case. Gates on counters
# (eekbp stats, /proc/softirqs, /proc/interrupts, softnet_stat), never on
# latency. env: MODDIR, RESULTS, EEKBP_ROOT; HOTPLUG_CYCLES (default 2).
TESTS_FILE=$RESULTS/datapath-tests.txt
# shellcheck source=lib.sh
. "$EEKBP_ROOT/integration-tests/src/test/resources/guest/kernel/lib.sh"
HOST=198.18.0.1
HOST6=fd00:eb::1
NIC_SYS=/sys/class/net/eth0
bg_pids=()
cleanup() {
	rm -f "$RESULTS/flood"
	touch "$RESULTS/done"
}
trap cleanup EXIT

# UDP round trips to the host, client pinned to a CPU; true when they completed.
pp() { # <seconds> <cpu> [sockperf options...]
	local secs=$1 cpu=$2 out=/tmp/pp-$2.out rc
	shift 2
	taskset -c "$cpu" sockperf ping-pong -i $HOST -p 11111 -t "$secs" \
		--mps=300 "$@" >"$out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] && grep -q 'Summary: Latency' "$out" && return 0
	log "sockperf ping-pong from cpu$cpu failed (exit $rc):"
	grep -vE 'percentile|observation' "$out" | tail -8
	return 1
}
# Background round trips from a CPU until bg_stop: short sockperf runs in
# a loop (a long run can block for good on a reply lost while the link is
# down).
bg_start() { # <cpu> [seconds per run, default 2]
	rm -f /tmp/bg-stop "/tmp/bg-$1.out"
	(
		while [ ! -e /tmp/bg-stop ]; do
			taskset -c "$1" sockperf ping-pong -i $HOST -p 11111 -t "${2:-2}" \
				--mps=300 >>"/tmp/bg-$1.out" 2>&1
		done
	) &
	bg_pids+=($!)
}
bg_stop() { # true when every client completed runs
	local f rc=0
	touch /tmp/bg-stop
	wait "${bg_pids[@]}"
	bg_pids=()
	for f in /tmp/bg-*.out; do
		log "background traffic ${f#/tmp/}: $(grep -c 'Summary: Latency' "$f") runs"
		grep -q 'Summary: Latency' "$f" || rc=1
	done
	rm -f /tmp/bg-*.out
	return $rc
}
rx_packets() { # without a fork (each exec is slow under TCG)
	local v
	read -r v <$NIC_SYS/statistics/rx_packets
	echo "$v"
}
wait_rx() { # <packets>: until eth0 received that many more (20 s at most)
	local want=$(($(rx_packets) + $1)) i
	for i in $(seq 200); do
		[ "$(rx_packets)" -ge "$want" ] && return 0
		snooze 0.1
	done
	log "eth0 received fewer than $1 packets in 20 s"
	return 1
}
# Counters around a command on the served CPU(s): the thread's packets rise
# by at least <min> and NET_RX there stays flat (a few per 50 packets).
served() { # <name> <cpus> <min packets> <command...>
	local name=$1 cpus=$2 min=$3 c rc ok=0
	local -A p0 r0
	shift 3
	for c in $cpus; do
		p0[$c]=$(stat_of "$c" packets)
		r0[$c]=$(netrx "$c")
	done
	"$@"
	rc=$?
	[ "$rc" -eq 0 ] || ok=1
	for c in $cpus; do
		local dp=$(($(stat_of "$c" packets) - p0[$c])) dr=$(($(netrx "$c") - r0[$c]))
		log "$name: cpu$c thread packets +$dp, NET_RX +$dr, command rc=$rc"
		[ "$dp" -ge "$min" ] && [ "$dr" -le $((5 + dp / 50)) ] || ok=1
	done
	return $ok
}

for _ in $(seq 150); do
	[ -e "$RESULTS/host-up" ] && break
	snooze 0.2
done
[ -e "$RESULTS/host-up" ] || log "host servers not up"
ip -6 addr add fd00:eb::2/64 dev eth0 nodad
check two-queue-nic test "$(ls -d $NIC_SYS/queues/rx-* | wc -l)" = 2

# --- flow limit (defect 4): stock first, then with the livepatch ---------
# A single UDP flow over veth from CPU 0, steered by RPS into CPU 1's
# backlog (netdev_max_backlog=64): under single-threaded TCG CPU 1 drains
# it late, the queue passes half the limit and flow_limit_count (column 11
# of softnet_stat, counted on the enqueuing CPU 0) rises.
modprobe veth
ip netns add eekbp-fl
ip link add eekbp-fa type veth peer name eekbp-fb
ip link set eekbp-fb netns eekbp-fl
ip addr add 10.203.0.1/24 dev eekbp-fa
ip link set eekbp-fa up
ip -n eekbp-fl addr add 10.203.0.2/24 dev eekbp-fb
ip -n eekbp-fl link set eekbp-fb up
ip netns exec eekbp-fl sh -c 'echo 2 >/sys/class/net/eekbp-fb/queues/rx-0/rps_cpus'
sysctl -q -w net.core.flow_limit_cpu_bitmap=3 net.core.netdev_max_backlog=64
flow_limited() { # <label>: flow_limit_count rises under the flood
	local f0 d0 f d
	f0=$(softnet 0 11)
	d0=$(softnet 1 2)
	taskset -c 0 sockperf throughput -i 10.203.0.2 -p 9999 -t 1 --mps=max \
		-m 64 >/tmp/fl.out 2>&1
	f=$(($(softnet 0 11) - f0))
	d=$(($(softnet 1 2) - d0))
	log "flow limit, $1: flow_limit_count cpu0 +$f, dropped cpu1 +$d," \
		"$(grep -o 'Message Rate is [0-9]*' /tmp/fl.out)"
	[ "$f" -gt 0 ]
}
check flow-limit-stock-baseline flow_limited "no module"
check load-modules load cpus=1 mode=eekbp quota=64
echo 0 >$S/enabled
check flow-limit-livepatch-disabled flow_limited "livepatch loaded, enabled=0"
echo 0 >$S/cpus
echo 1 >$S/enabled
check flow-limit-backlog-cpu-unserved flow_limited "eekbp serving cpu0, backlog on cpu1"
sysctl -q -w net.core.flow_limit_cpu_bitmap=0 net.core.netdev_max_backlog=1000
ip link del eekbp-fa
ip netns del eekbp-fl

# --- everything below: eekbp serves CPU 1, eth0's IRQs on CPU 1 ----------
echo 1 >$S/cpus
pin_irqs eth0 2

# TCP bulk download through the served CPU, sha256 at both ends.
bulk() { # <socat address>
	local want got
	want=$(cat "$RESULTS/bulk.sha256")
	got=$(timeout 60 socat -u "$1" - | sha256sum | cut -d' ' -f1)
	log "bulk from $1: sha256 $got, host sent $want"
	[ -n "$want" ] && [ "$got" = "$want" ]
}
check tcp-bulk-ipv4-sha256 served bulk-v4 1 50 bulk TCP4:$HOST:5001
check tcp-bulk-ipv6-sha256 served bulk-v6 1 50 bulk "TCP6:[$HOST6]:5001"

# Busy polling: the sysctls, then SO_BUSY_POLL on the socket (sockperf
# --lls). Round trips complete, busy polling finds packets, no NET_RX on
# the served CPU.
busy_poll() { # <label> <sockperf options...>
	local label=$1 b0 b rc
	shift
	b0=$(netstat_of BusyPollRxPackets)
	pp 1 0 "$@"
	rc=$?
	b=$(($(netstat_of BusyPollRxPackets) - b0))
	log "busy poll, $label: BusyPollRxPackets +$b, $(grep -o 'ReceivedMessages=[0-9]*' /tmp/pp-0.out)"
	[ "$rc" -eq 0 ] && [ "$b" -gt 0 ]
}
sysctl -q -w net.core.busy_read=1000 net.core.busy_poll=1000
check busy-poll-sysctls served busy-sysctl 1 0 busy_poll "busy_read=1000"
sysctl -q -w net.core.busy_read=0 net.core.busy_poll=0
check busy-poll-so-busy-poll served busy-sock 1 0 busy_poll "SO_BUSY_POLL=1000" --lls 1000

# Threaded NAPI switched on and off under traffic: the napi kthreads take
# over (eekbp's thread gets next to nothing), eekbp serves again when it is
# off. Windows are counted in received packets, not in time (TCG is slow).
threaded_toggle() {
	local i on=0 off=0 rx_on=0 rx_off=0 p x r0 rc=0
	bg_start 0 6
	wait_rx 20 || rc=1
	r0=$(netrx 1)
	for i in 1 2; do
		echo 1 >$NIC_SYS/threaded || rc=1
		wait_rx 10 || rc=1
		p=$(stat_of 1 packets)
		x=$(rx_packets)
		wait_rx 100 || rc=1
		on=$((on + $(stat_of 1 packets) - p))
		rx_on=$((rx_on + $(rx_packets) - x))
		echo 0 >$NIC_SYS/threaded || rc=1
		wait_rx 10 || rc=1
		p=$(stat_of 1 packets)
		x=$(rx_packets)
		wait_rx 100 || rc=1
		off=$((off + $(stat_of 1 packets) - p))
		rx_off=$((rx_off + $(rx_packets) - x))
	done
	bg_stop || rc=1
	r0=$(($(netrx 1) - r0))
	log "threaded napi on: eekbp/1 packets +$on of $rx_on received;" \
		"off: +$off of $rx_off; NET_RX cpu1 +$r0; napi threads: $(pgrep -c napi/eth0)"
	[ "$rc" -eq 0 ] && [ "$on" -le $((rx_on / 10)) ] &&
		[ "$off" -ge $((rx_off / 2)) ] && [ "$r0" -le $((5 + off / 50)) ]
}
check threaded-napi-toggle-under-traffic threaded_toggle

# napi_defer_hard_irqs + gro_flush_timeout: the napi_watchdog hrtimer
# re-schedules the napi; it must reach the thread, not NET_RX.
echo 2 >$NIC_SYS/napi_defer_hard_irqs
echo 200000 >$NIC_SYS/gro_flush_timeout
check defer-hard-irqs-gro-flush-timeout served defer 1 100 pp 1 0
echo 0 >$NIC_SYS/napi_defer_hard_irqs
echo 0 >$NIC_SYS/gro_flush_timeout

# RPS to and from the served CPU. Steering works (the receiving CPU
# processes the packets); the *-by-thread cases require that the served
# CPU's share runs in its thread with NET_RX flat there (defect 5).
set_rps() { # <cpumask>
	local q
	for q in $NIC_SYS/queues/rx-*; do echo "$1" >"$q/rps_cpus"; done
}
rps_case() { # <irq cpumask> <rps cpumask> <cpu that processes>
	local c=$3 pr0 p0 r0 rc
	pin_irqs eth0 "$1"
	set_rps "$2"
	pr0=$(softnet "$c" 1)
	p0=$(stat_of 1 packets)
	r0=$(netrx 1)
	pp 1 0
	rc=$?
	rps_processed=$(($(softnet "$c" 1) - pr0))
	rps_thread=$(($(stat_of 1 packets) - p0))
	rps_netrx=$(($(netrx 1) - r0))
	log "rps irq mask $1 -> rps mask $2: processed cpu$c +$rps_processed," \
		"eekbp/1 packets +$rps_thread, NET_RX cpu1 +$rps_netrx, rc=$rc"
	set_rps 0
	pin_irqs eth0 2
	[ "$rc" -eq 0 ] && [ "$rps_processed" -ge 100 ]
}
check rps-to-served-cpu rps_case 1 2 1
check rps-to-served-cpu-by-thread test "$rps_thread" -ge 100 -a \
	"$rps_netrx" -le $((5 + rps_thread / 50))
check rps-from-served-cpu rps_case 2 1 0
check rps-from-served-cpu-by-thread test "$rps_thread" -ge 100 -a \
	"$rps_netrx" -le $((5 + rps_thread / 50))

# Two queues, two served CPUs: input.0 on CPU 0, input.1 on CPU 1; a client
# on each CPU (XPS and the tap's flow table keep each flow on its queue).
echo 0-1 >$S/cpus
pin_irqs eth0 1 input.0
pin_irqs eth0 2 input.1
two_clients() {
	local q0 q1 i0 i1 rc=0
	q0=$(nic_irqs eth0 input.0)
	q1=$(nic_irqs eth0 input.1)
	i0=$(irq_count "$q0" 0)
	i1=$(irq_count "$q1" 1)
	pp 2 1 &
	pp 2 0 || rc=1
	wait $! || rc=1
	i0=$(($(irq_count "$q0" 0) - i0))
	i1=$(($(irq_count "$q1" 1) - i1))
	log "two queues: input.0 IRQs on cpu0 +$i0, input.1 IRQs on cpu1 +$i1"
	[ "$rc" -eq 0 ] && [ "$i0" -ge 20 ] && [ "$i1" -ge 20 ]
}
check multiqueue-two-served-cpus served mq "0 1" 100 two_clients
link_flaps() {
	local i rc=0 t
	bg_start 0
	bg_start 1
	wait_rx 50 || rc=1
	for i in 1 2; do
		t=$SECONDS
		timeout 20 ip link set eth0 down || { log "link down $i: rc=$?"; rc=1; }
		log "link down $i took $((SECONDS - t)) s"
		snooze 0.3
		ip link set eth0 up || rc=1
		wait_rx 100 || rc=1
	done
	bg_stop || rc=1
	return $rc
}
check multiqueue-link-down-up-under-traffic link_flaps
both_clients() {
	local p rc
	pp 1 1 &
	p=$!
	pp 1 0
	rc=$?
	wait $p && [ "$rc" -eq 0 ]
}
check multiqueue-traffic-after-link-flaps served mq-after "0 1" 50 both_clients

# CPU hotplug of the served CPU under a host UDP flood: the thread parks and
# comes back, serves again, and the NIC still goes down.
echo 1 >$S/cpus
pin_irqs eth0 2
CPU1=/sys/devices/system/cpu/cpu1/online
thread_state() { awk '{ print $3 }' "/proc/$(thread_pid 1)/stat" 2>/dev/null; }
hotplug() {
	local i rc=0 st t
	echo 500 >"$RESULTS/flood"
	snooze 1
	for i in $(seq "${HOTPLUG_CYCLES:-2}"); do
		t=$SECONDS
		timeout 60 sh -c "echo 0 >$CPU1" || { log "cpu1 offline $i failed"; rc=1; }
		st=$(thread_state)
		log "cycle $i: cpu1 offline after $((SECONDS - t)) s, eekbp/1 state $st"
		[ "$st" = P ] || rc=1
		snooze 0.5
		t=$SECONDS
		timeout 60 sh -c "echo 1 >$CPU1" || { log "cpu1 online $i failed"; rc=1; }
		pin_irqs eth0 2
		snooze 0.5
		st=$(thread_state)
		log "cycle $i: cpu1 online after $((SECONDS - t)) s, eekbp/1 state $st"
		[ "$st" = S ] || [ "$st" = R ] || rc=1
	done
	rm -f "$RESULTS/flood"
	snooze 0.5
	return $rc
}
check cpu-hotplug-served-cpu-under-flood hotplug
check traffic-served-after-hotplug served hotplug-after 1 100 pp 1 0
link_down_returns() {
	local t=$SECONDS rc
	timeout 20 ip link set eth0 down
	rc=$?
	log "link down after hotplug: rc=$rc in $((SECONDS - t)) s"
	ip link set eth0 up
	for _ in $(seq 30); do
		[ "$(cat $NIC_SYS/carrier)" = 1 ] && break
		snooze 0.1
	done
	[ "$rc" -eq 0 ] && pp 1 0
}
check link-down-after-hotplug link_down_returns

{
	cat $S/stats
	cat /proc/net/softnet_stat
	grep -E 'NET_RX|TASKLET' /proc/softirqs
} >>"$RESULTS/datapath-metrics.txt"
check unload-modules unload
check dmesg-clean dmesg_clean

log "done, $fails failed"
exit $((fails > 0))
