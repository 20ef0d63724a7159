#!/bin/bash
# The paper's softIRQ competition (issue 14), one guest boot (-smp 2): on
# CPU 0 (eth0's IRQs, the served CPU) a CPU-bound task at nice 0 while the
# host sends a high-rate UDP flood to port 9 (the load; no listener, so it
# costs only kernel receive work) and low-rate round trips to port 11111
# (the probe, a sockperf server on CPU 1). __do_softirq hands NET_RX to
# ksoftirqd/0 after 2 ms or 10 restarts; ksoftirqd is SCHED_OTHER and then
# shares CPU 0 with the task. Per mode and repetition (interleaved): the
# in-guest latency instrument on, host traffic for one step
# (CompetitionBench answers "traffic-<n>"), counters before and after.
# Writes $RESULTS/compete.txt: one line per step, key=value.
# env: MODDIR, RESULTS, EEKBP_ROOT, EEKBP_GUEST_ADDR; COMPETE_MODES, COMPETE_REPS.
TESTS_FILE=$RESULTS/compete-tests.txt
G=$EEKBP_ROOT/integration-tests/src/test/resources/guest
# shellcheck source=../kernel/lib.sh
. "$G/kernel/lib.sh"
# shellcheck source=latency-trace.sh
. "$G/bench/latency-trace.sh"
# shellcheck source=modes.sh
. "$G/bench/modes.sh"
read -r -a MODES <<<"${COMPETE_MODES:-napi threaded eekbp eekbp-fifo adaptive kbp}"
REPS=${COMPETE_REPS:-3}
pids=()
hog=
cleanup() {
	lat_stop
	[ -n "$hog" ] && kill "$hog" 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	touch "$RESULTS/done"
}
trap cleanup EXIT

ticks() { # <comm>: utime+stime of the first task of that name
	local p
	p=$(pgrep -x "$1" | head -1)
	[ -n "$p" ] && awk '{ print $14 + $15 }' "/proc/$p/stat" || echo 0
}
poll_ticks() { # the served CPU's poll thread of the mode (0 for napi)
	case $1 in
	threaded) local p s=0; for p in $(pgrep '^napi/eth0'); do
			s=$((s + $(awk '{ print $14 + $15 }' /proc/$p/stat))); done; echo $s ;;
	napi) echo 0 ;;
	*) ticks eekbp/0 ;;
	esac
}
counters() { # <mode>: one key=value line of the counters this scenario reads
	local up
	read -r up _ </proc/uptime
	echo "ms=${up/./}0 netrx=$(netrx 0) squeeze=$(softnet 0 3) dropped=$(softnet 0 2)" \
		"ksoftirqd=$(ticks ksoftirqd/0) poll=$(poll_ticks "$1") hog=$(awk '{ print $14 + $15 }' /proc/$hog/stat)" \
		"udp_rcvbuf_errors=$(udp_stat RcvbufErrors)"
}
delta() { # <before> <after>: key=after-before for each key
	local -A b
	local kv
	for kv in $1; do b[${kv%%=*}]=${kv#*=}; done
	for kv in $2; do printf '%s=%s ' "${kv%%=*}" $((${kv#*=} - ${b[${kv%%=*}]:-0})); done
}
step=0
traffic() {
	echo "$1" >"$RESULTS/.traffic"
	mv "$RESULTS/.traffic" "$RESULTS/traffic-$step"
	wait_for 1200 test -e "$RESULTS/traffic-$step-done"
	step=$((step + 1))
}

pin_irqs eth0 1
IRQS=$(nic_irqs eth0 input)
taskset -c 1 sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >/dev/null 2>&1 &
pids+=($!)
# the CPU-bound task, nice 0 like an application thread
taskset -c 0 bash -c 'while :; do :; done' &
hog=$!
snooze 1
log "eth0 receive IRQs: $IRQS; CPU hog $hog on CPU 0"

for rep in $(seq "$REPS"); do
	for m in "${MODES[@]}"; do
		check "mode-$m-$rep" set_mode "$m" || continue
		d=$RESULTS/lat-$m-$rep
		mkdir -p "$d"
		lat_start eth0 $IRQS || log "no latency instrument"
		b=$(counters "$m")
		traffic "$m $rep"
		a=$(counters "$m")
		lat_dump "$d"
		lat_stop
		echo "mode=$m rep=$rep $(delta "$b" "$a")" >>"$RESULTS/compete.txt"
		log "mode=$m rep=$rep $(delta "$b" "$a")"
	done
done
set_mode napi
check dmesg-clean dmesg_clean
log "done, $fails failed"
exit "$fails"
