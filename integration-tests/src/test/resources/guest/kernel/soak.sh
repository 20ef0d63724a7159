#!/bin/bash
# eekbp soak, one guest boot (-smp 2, CPU 1 served, eth0's IRQs on CPU 1)
# under UDP round trips to the host (datapath-host.sh): SOAK_CYCLES
# load/unload cycles (modes eekbp/kbp, every third adaptive; frequency control on
# every other one), then SOAK_TOGGLES runtime writes of mode and freq_ctl
# (test cpufreq driver, userspace governor). Every livepatch transition is
# bounded (30 s: a stuck one fails and stops the soak); dmesg must stay free
# of warnings. Prints "SOAK: key=value" lines with the numbers and one
# "TEST:" line per phase.
TESTS_FILE=$RESULTS/soak-tests.txt
# shellcheck source=lib.sh
. "$EEKBP_ROOT/integration-tests/src/test/resources/guest/kernel/lib.sh"
CYCLES=${SOAK_CYCLES:-200}
TOGGLES=${SOAK_TOGGLES:-1000}
HOST=198.18.0.1
bg_pid=
cleanup() {
	touch /tmp/bg-stop
	[ -n "$bg_pid" ] && wait "$bg_pid"
	touch "$RESULTS/done"
}
trap cleanup EXIT
soak() { echo "SOAK: $*"; echo "$*" >>"$RESULTS/soak-numbers.txt"; }
rx_packets() { local v; read -r v </sys/class/net/eth0/statistics/rx_packets; echo "$v"; }
now_ms() { local t; read -r t _ </proc/uptime; echo $((${t/./} * 10)); }

for _ in $(seq 150); do
	[ -e "$RESULTS/host-up" ] && break
	snooze 0.2
done
pin_irqs eth0 2
modprobe cpufreq_userspace
insmod "$MODDIR/eekbp_testfreq.ko" &&
	for c in 0 1; do
		echo userspace >/sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor
	done

# Round trips from CPU 0 in 2 s runs until the end; counts ok/failed runs,
# and names the phase (/tmp/soak-phase) a failed run ended in.
rm -f /tmp/bg-stop /tmp/bg-runs
echo start >/tmp/soak-phase
(
	while [ ! -e /tmp/bg-stop ]; do
		if taskset -c 0 sockperf ping-pong -i $HOST -p 11111 -t 2 --mps=300 \
			>/tmp/bg.out 2>&1 && grep -q 'Summary: Latency' /tmp/bg.out; then
			echo ok
		else
			echo fail
			read -r ph </tmp/soak-phase
			log "traffic run failed at $(now_ms) ms, during: $ph" >&2
			{ echo "at $(now_ms) ms, during: $ph"; tail -5 /tmp/bg.out; } >>/tmp/bg-fail.log
		fi
	done >/tmp/bg-runs
) &
bg_pid=$!
rx0=$(rx_packets)
for _ in $(seq 300); do
	[ "$(rx_packets)" -ge $((rx0 + 50)) ] && break
	snooze 0.1
done

# --- load/unload cycles ---------------------------------------------------
cycles() {
	local i mode t0 t tmax=0 start
	start=$(now_ms)
	for i in $(seq "$CYCLES"); do
		mode=eekbp
		[ $((i % 2)) -eq 0 ] && mode=kbp
		[ $((i % 3)) -eq 0 ] && mode=adaptive
		t0=$(now_ms)
		echo "cycle $i load $mode" >/tmp/soak-phase
		load cpus=1 mode=$mode freq_ctl=$(((i / 2) % 2)) ||
			{ log "cycle $i: load failed"; return 1; }
		t=$(($(now_ms) - t0))
		[ "$t" -gt "$tmax" ] && tmax=$t
		snooze 0.2
		t0=$(now_ms)
		echo "cycle $i unload $mode" >/tmp/soak-phase
		unload || { log "cycle $i: unload failed"; return 1; }
		t=$(($(now_ms) - t0))
		[ "$t" -gt "$tmax" ] && tmax=$t
		[ $((i % 25)) -eq 0 ] && log "$i cycles"
	done
	t=$(($(now_ms) - start))
	soak "cycles=$CYCLES cycle_ms_avg=$((t / CYCLES)) load_or_unload_ms_max=$tmax"
}
check "soak-load-unload-x$CYCLES" cycles

# --- runtime toggles of mode and freq_ctl -----------------------------------
toggles() {
	local i n=0 start t rx0 rx pk modes=(kbp napi eekbp adaptive)
	load cpus=1 mode=eekbp || return 1
	start=$(now_ms)
	rx0=$(rx_packets)
	for ((i = 0; n < TOGGLES; i++)); do
		echo "toggle $i ${modes[$((i % 4))]}" >/tmp/soak-phase
		echo "${modes[$((i % 4))]}" >$S/mode || return 1
		echo $((i % 2)) >$S/freq_ctl || return 1
		n=$((n + 2))
		snooze 0.05
	done
	t=$(($(now_ms) - start))
	rx=$(($(rx_packets) - rx0))
	pk=$(stat_of 1 packets)
	soak "toggles=$n toggle_ms_avg=$((t / n)) eth0_rx=$rx thread_packets=$pk" \
		"freq_up=$(stat_of 1 freq_up) freq_down=$(stat_of 1 freq_down)"
	echo eekbp >$S/mode
	echo 0 >$S/freq_ctl
	unload || return 1
	# traffic went on while toggling, part of it through the thread
	[ "$rx" -ge $((n / 10)) ] && [ "$pk" -gt 0 ]
}
check "soak-mode-freq-toggles-x$TOGGLES" toggles

touch /tmp/bg-stop
wait "$bg_pid"
bg_pid=
ok=$(grep -c ok /tmp/bg-runs)
fail=$(grep -c fail /tmp/bg-runs)
[ "$fail" -eq 0 ] || tail -20 /tmp/bg-fail.log
soak "traffic_runs_ok=$ok traffic_runs_failed=$fail"
check soak-traffic-never-failed test "$ok" -gt 0 -a "$fail" -eq 0
warnings=$(dmesg | grep -cE "WARNING:|BUG:|Oops|RIP:|rcu_.*stall|blocked for more|soft lockup|hung_task")
soak "dmesg_warnings=$warnings uptime_s=$(cut -d. -f1 /proc/uptime)"
check soak-dmesg-clean dmesg_clean

log "done, $fails failed"
exit $((fails > 0))
