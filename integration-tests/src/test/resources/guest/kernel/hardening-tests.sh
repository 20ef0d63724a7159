#!/bin/bash
# eekbp hardening tests (issue 10 defects), one guest boot (-smp 2).
# eth0: virtio-net on a host tap; the host runs host-traffic.sh against
# sockperf on 198.18.0.2:11111. Prints one "TEST: <name> [ OK ]|[FAIL]" line
# per case; every case restores what it changed, so later cases start clean.
# env: MODDIR, RESULTS, KVER, EEKBP_ROOT.
TESTS_FILE=$RESULTS/hardening-tests.txt
# shellcheck source=lib.sh
. "$EEKBP_ROOT/integration-tests/src/test/resources/guest/kernel/lib.sh"
CPUFREQ=/sys/devices/system/cpu
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	touch "$RESULTS/done"
}
trap cleanup EXIT

softirq() { # <name> <cpu>
	awk -v n="$1:" -v c=$(($2 + 2)) '$1 == n { print $c }' /proc/softirqs
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cur_freq() { cat $CPUFREQ/cpu"$1"/cpufreq/scaling_cur_freq; }
# re-read on every try (a wait_for argument is expanded only once)
freq_is() { [ "$(cur_freq "$1")" = "$2" ]; }
governor() { # <cpu> <name>
	echo "$2" >$CPUFREQ/cpu"$1"/cpufreq/scaling_governor
}

# --- veth pair into a netns: netif_rx backlog path ---------------------
veth_netns_up

pin_irqs eth0 1
taskset -c 0 sockperf server -i 198.18.0.2 -p 11111 >/dev/null 2>&1 &
pids+=($!)
sleep 1
touch "$RESULTS/server-up"

# --- off the served path the kernel behaves as stock --------------------
# TASKLET softirqs on CPU 1 (never served) over 3 s of host + veth traffic.
tasklets_cpu1() {
	local t0
	t0=$(softirq TASKLET 1)
	veth_pingpong 3 1 >/dev/null
	echo $(($(softirq TASKLET 1) - t0))
}
stock_tasklets=$(tasklets_cpu1)
check load-modules load cpus=0 mode=eekbp
echo 0 >$S/enabled
off_tasklets=$(tasklets_cpu1)
echo 1 >$S/enabled
served_tasklets=$(tasklets_cpu1)
log "TASKLET softirqs on unserved CPU 1 over 3 s: stock $stock_tasklets, loaded+disabled $off_tasklets, serving CPU 0 $served_tasklets"
check unserved-cpu-no-extra-tasklets \
	test $((off_tasklets + served_tasklets)) -le $((2 * stock_tasklets + 4))

# --- defect 7: the thread emits napi:napi_poll within the napi's weight ---
napi_poll_trace() {
	local T=/sys/kernel/tracing n over
	[ -d $T/events ] || mount -t tracefs nodev $T
	echo 1024 >$S/quota
	echo >$T/trace
	echo 1 >$T/events/napi/napi_poll/enable
	veth_pingpong 2 0 >/dev/null
	sleep 2
	echo 0 >$T/events/napi/napi_poll/enable
	echo 64 >$S/quota
	n=$(grep -c 'eekbp/0.*napi_poll' $T/trace)
	over=$(grep 'eekbp/0.*napi_poll' $T/trace |
		sed -n 's/.*budget \([0-9]*\).*/\1/p' | awk '$1 > 64' | wc -l)
	log "napi_poll events from eekbp/0: $n, with budget > 64: $over"
	grep -m 2 'eekbp/0.*napi_poll' $T/trace
	[ "$n" -gt 10 ] && [ "$over" -eq 0 ]
}
check napi-poll-tracepoint-within-weight napi_poll_trace

# --- defect 3: one poll round stays within net_rx_action's budget -------
# Eight veth napis (GRO on) on served CPU 0: a SCHED_FIFO sender on CPU 0
# puts 200 UDP packets into each ring before the thread may run, so 1600
# wait. A kprobe on eekbp_poll marks each round and napi:napi_poll gives
# each poll's work: the most packets one round took must exceed the budget
# minus a weight (the scenario loads rounds) and stay within the budget
# plus one weight (the check comes before each poll).
round_send() { # 200 datagrams to each of 10.202.0-7.2, round-robin
	python3 -c '
import socket
socks = []
for i in range(8):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, 32, 1 << 22)  # SO_SNDBUFFORCE
    socks.append((s, ("10.202.%d.2" % i, 9)))
for n in range(200):
    for s, a in socks:
        s.sendto(b"eekbp-round", a)
'
}
round_budget() {
	local T=/sys/kernel/tracing i mac budget stats run kb
	# 6.1 does not export netdev_budget: the module uses its default there
	case $KVER in
	6.1.*) budget=300 ;;
	*) budget=$(cat /proc/sys/net/core/netdev_budget) ;;
	esac
	modprobe veth
	for i in 0 1 2 3 4 5 6 7; do
		ip netns add eekbp-rn$i
		ip link add eekbp-rb$i type veth peer name eekbp-ra$i netns eekbp-rn$i
		ip netns exec eekbp-rn$i ethtool -K eekbp-ra$i gro on >/dev/null
		ethtool -K eekbp-rb$i tso off gso off >/dev/null
		ip -n eekbp-rn$i addr add 10.202.$i.2/24 dev eekbp-ra$i
		ip -n eekbp-rn$i link set eekbp-ra$i up
		ip addr add 10.202.$i.1/24 dev eekbp-rb$i
		ip link set eekbp-rb$i up
		mac=$(ip netns exec eekbp-rn$i cat /sys/class/net/eekbp-ra$i/address)
		ip neigh replace 10.202.$i.2 lladdr "$mac" dev eekbp-rb$i nud permanent
	done
	[ -d $T/events ] || mount -t tracefs nodev $T
	kb=$(cat $T/buffer_size_kb)
	echo 4096 >$T/buffer_size_kb
	echo >$T/trace
	echo 'p:eekbp_round eekbp:eekbp_poll' >>$T/kprobe_events || return 1
	echo 1 >$T/events/kprobes/eekbp_round/enable
	echo 1 >$T/events/napi/napi_poll/enable
	for run in 1 2 3 4; do
		chrt -f 50 taskset -c 0 bash -c "$(declare -f round_send); round_send"
		snooze 0.5
	done
	echo 0 >$T/events/napi/napi_poll/enable
	echo 0 >$T/events/kprobes/eekbp_round/enable
	stats=$(grep ' eekbp/0-' $T/trace | awk '
		/eekbp_round:/ { if (cur > max) max = cur; rounds++; cur = 0; next }
		/napi_poll:/ { for (i = 1; i < NF; i++) if ($i == "work") cur += $(i + 1) }
		END { if (cur > max) max = cur; print rounds + 0, max + 0 }')
	echo "-:eekbp_round" >>$T/kprobe_events
	echo "${kb%% *}" >$T/buffer_size_kb
	for i in 0 1 2 3 4 5 6 7; do
		ip link del eekbp-rb$i
		ip netns del eekbp-rn$i
	done
	set -- $stats
	log "rounds $1, most packets in one round $2, budget $budget, breaks $(stat_of 0 budget_breaks)"
	[ "${1:-0}" -ge 4 ] && [ "${2:-0}" -gt $((budget - 64)) ] &&
		[ "${2:-0}" -le $((budget + 64)) ]
}
check poll-round-within-budget round_budget

# --- defect 5: RPS steering to a served CPU goes to its thread ----------
rps_case() {
	local q=/sys/class/net/eth0/queues/rx-0/rps_cpus r0 p0 dr dp
	# CPU 0 takes the IRQ (unserved here), RPS steers to CPU 1 (served)
	echo 1 >$S/cpus
	pin_irqs eth0 1
	echo 2 >$q
	sleep 1
	r0=$(softirq NET_RX 1)
	p0=$(stat_of 1 packets)
	sleep 4
	dr=$(($(softirq NET_RX 1) - r0))
	dp=$(($(stat_of 1 packets) - p0))
	echo 0 >$q
	echo 0 >$S/cpus
	log "RPS to served CPU 1: NET_RX cpu1 +$dr, thread packets +$dp"
	[ "$dp" -ge 50 ] && [ "$dr" -le $((5 + dp / 50)) ]
}
check rps-to-served-cpu-uses-thread rps_case

# --- defect 7: the devices filter names devices of the initial netns ----
# A veth called eth0 inside another namespace, GRO on so it has a napi,
# fed from CPU 0: eekbp serves eth0 (init_net), not this namesake.
netns_case() {
	local r0 p0 dr dp rc=0
	ip netns add eekbp-ns2 || return 1
	ip link add eekbp-n0 type veth peer name eth0 netns eekbp-ns2 || rc=1
	ip addr add 10.203.0.1/24 dev eekbp-n0
	ip link set eekbp-n0 up
	ip -n eekbp-ns2 addr add 10.203.0.2/24 dev eth0
	ip -n eekbp-ns2 link set eth0 up
	# veth takes its napi only with GRO on the receiver and no TSO on the sender
	ip netns exec eekbp-ns2 ethtool -K eth0 gro on >/dev/null 2>&1
	ethtool -K eekbp-n0 tso off >/dev/null 2>&1
	ip netns exec eekbp-ns2 sockperf server -i 10.203.0.2 -p 11114 >/dev/null 2>&1 &
	local srv=$!
	echo eth0 >$S/devices
	sleep 1
	r0=$(softirq NET_RX 0)
	p0=$(stat_of 0 packets)
	taskset -c 0 sockperf throughput -i 10.203.0.2 -p 11114 -t 2 -m 64 \
		--mps=500 >/dev/null 2>&1 || rc=1
	dr=$(($(softirq NET_RX 0) - r0))
	dp=$(($(stat_of 0 packets) - p0))
	kill "$srv" 2>/dev/null
	echo "" >$S/devices
	ip link del eekbp-n0
	ip netns del eekbp-ns2
	log "eth0 of another netns fed from CPU 0: thread packets +$dp, NET_RX cpu0 +$dr"
	[ "$rc" -eq 0 ] && [ "$dr" -ge 50 ] && [ "$dp" -le $((5 + dr / 50)) ]
}
pause_host
check devices-filter-initial-netns-only netns_case
resume_host

# --- defect 7: sleeps count real sleeps --------------------------------
sleeps_case() {
	local pid v0 s0 dv ds
	pid=$(thread_pid 0)
	# counters read in the order that keeps sleeps <= switches when exact
	v0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/"$pid"/status)
	s0=$(stat_of 0 sleeps)
	veth_pingpong 3 1 >/dev/null
	ds=$(($(stat_of 0 sleeps) - s0))
	dv=$(($(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/"$pid"/status) - v0))
	log "eekbp/0 over 3 s of traffic: sleeps +$ds, voluntary switches +$dv"
	[ "$ds" -gt 0 ] && [ "$ds" -le "$dv" ]
}
check sleeps-are-real-sleeps sleeps_case

# --- defect 9: scheduling policy of the threads -------------------------
sched_case() {
	local pid rc=0
	pid=$(thread_pid 0)
	[ -e $S/sched ] || { log "no $S/sched"; return 1; }
	echo fifo:10 >$S/sched || rc=1
	snooze 0.3
	chrt -p "$pid" | grep -q 'SCHED_FIFO' || rc=1
	chrt -p "$pid" | grep -q 'priority: 10' || rc=1
	[ "$(cat $S/sched)" = fifo:10 ] || rc=1
	for bad in fifo:0 fifo:100 fifo: fifo:x rr:5 "" other:1 fifo:10x; do
		if echo "$bad" >$S/sched 2>/dev/null; then
			log "sched '$bad' accepted"
			rc=1
		fi
	done
	[ "$(cat $S/sched)" = fifo:10 ] || rc=1
	echo other >$S/sched || rc=1
	snooze 0.3
	chrt -p "$pid" | grep -q 'SCHED_OTHER' || rc=1
	chrt -p "$pid"
	return $rc
}
check sched-policy-setting sched_case

# --- frequency control (test cpufreq driver) ----------------------------
modprobe cpufreq_userspace
freq_setup() { # [shared=1]
	insmod "$MODDIR/eekbp_testfreq.ko" "$@" || return 1
	governor 0 userspace && governor 1 userspace
}
freq_teardown() {
	echo 0 >$S/freq_ctl
	rmmod eekbp_testfreq
}
pause_host

# defect 1: a frequency that cannot be restored must not make the thread spin
freq_giveup() {
	local pid t0 s0 ticks ds rc=0
	freq_setup || return 1
	echo 1 >$S/freq_ctl
	veth_pingpong 1 0 >/dev/null	# a wake and a sleep lower it
	wait_for 30 freq_is 0 800000 || { log "never at min"; rc=1; }
	governor 0 performance || rc=1
	pid=$(thread_pid 0)
	t0=$(cpu_ticks "$pid")
	s0=$(stat_of 0 sleeps)
	echo 0 >$S/enabled
	sleep 2
	ticks=$(($(cpu_ticks "$pid") - t0))
	ds=$(($(stat_of 0 sleeps) - s0))
	# recover before judging, so a spinning thread stops
	governor 0 userspace
	echo 1 >$S/enabled
	sleep 1
	log "freq restore impossible: eekbp/0 used $ticks ticks in 2 s, sleeps +$ds, freq_fail=$(stat_of 0 freq_fail)"
	freq_teardown
	[ "$rc" -eq 0 ] && [ "$ticks" -lt 20 ] && [ "$ds" -lt 1000 ]
}
check freq-unrestorable-no-spin freq_giveup

# defect 8: freq_ctl 0 -> 1 on an idle CPU lowers it at once
freq_enable_idle() {
	local rc=0
	freq_setup || return 1
	echo 0 >$S/freq_ctl
	sleep 1
	[ "$(cur_freq 0)" = 2400000 ] || { log "not at max with freq_ctl=0"; rc=1; }
	echo 1 >$S/freq_ctl
	wait_for 20 freq_is 0 800000 || rc=1
	log "after freq_ctl=1 on idle CPU 0: $(cur_freq 0) kHz"
	echo 0 >$S/freq_ctl
	wait_for 20 freq_is 0 2400000 || rc=1
	log "after freq_ctl=0: $(cur_freq 0) kHz"
	freq_teardown
	return $rc
}
check freq-ctl-on-idle-cpu-applies freq_enable_idle

# defect 2: a limits change must not undo eekbp's choice
freq_limits() {
	local rc=0 got
	freq_setup || return 1
	echo 1 >$S/freq_ctl
	wait_for 30 freq_is 0 800000 || rc=1
	echo 2000000 >$CPUFREQ/cpu0/cpufreq/scaling_max_freq
	sleep 1
	got=$(cur_freq 0)
	echo 2400000 >$CPUFREQ/cpu0/cpufreq/scaling_max_freq
	sleep 1
	log "idle CPU 0 after a scaling_max_freq change: $got kHz, after restoring it: $(cur_freq 0) kHz"
	[ "$got" = 800000 ] && [ "$(cur_freq 0)" = 800000 ] || rc=1
	freq_teardown
	return $rc
}
check freq-survives-limits-change freq_limits

# defect 2: one policy for CPUs 0 and 1: lowered only when both sleep
freq_shared() {
	local rc=0 got
	freq_setup shared=1 || return 1
	[ "$(cat $CPUFREQ/cpu0/cpufreq/related_cpus)" = "0 1" ] ||
		{ log "policy not shared: $(cat $CPUFREQ/cpu0/cpufreq/related_cpus)"; rc=1; }
	echo 1 >$S/freq_ctl
	veth_pingpong 1 0 >/dev/null	# a wake and a sleep would lower it
	sleep 1
	got=$(cur_freq 0)
	log "shared policy, CPU 0 served and asleep, CPU 1 unserved: $got kHz, skipped=$(stat_of 0 freq_skipped)"
	[ "$got" = 2400000 ] || rc=1
	echo 0-1 >$S/cpus
	wait_for 30 freq_is 0 800000 || rc=1
	log "shared policy, both served and asleep: $(cur_freq 0) kHz"
	echo kbp >$S/mode
	wait_for 20 freq_is 0 2400000 || rc=1
	log "shared policy, both polling: $(cur_freq 0) kHz"
	echo eekbp >$S/mode
	echo 0 >$S/cpus
	freq_teardown
	return $rc
}
check freq-shared-policy freq_shared

# defect 8: after CPU 1 goes offline and online, it is lowered again
freq_hotplug() {
	local rc=0 got
	freq_setup || return 1
	echo 1 >$S/cpus
	echo 1 >$S/freq_ctl
	wait_for 30 freq_is 1 800000 || { log "cpu1 never at min"; rc=1; }
	# offlining can be refused for a moment (EBUSY): try a few times
	wait_for 30 cpu_online_set 1 0 || { log "cpu1 did not go offline"; rc=1; }
	snooze 0.5
	wait_for 30 cpu_online_set 1 1 || { log "cpu1 did not come back"; rc=1; }
	governor 1 userspace 2>/dev/null
	wait_for 30 freq_is 1 800000 || rc=1
	log "idle served CPU 1 after offline/online: $(cur_freq 1) kHz"
	echo 0 >$S/cpus
	freq_teardown
	return $rc
}
check freq-after-hotplug freq_hotplug
resume_host

check unload-clean unload
check dmesg-clean dmesg_clean

log "done, $fails failed"
exit $((fails > 0))
