#!/bin/bash
# The in-guest latency instrument (guest/bench/latency-trace.sh) in every
# receive mode, one boot (-smp 2): eth0's IRQs, threaded NAPI's threads and
# EE-KBP's thread on CPU 0, a sockperf server on CPU 1. Per step the host
# runs UDP round trips (LatencyInstrumentTest answers "traffic-<n>"); with
# the instrument on, its histograms go to $RESULTS/lat-<mode>/. napi runs
# twice more with it off, for what the instrument costs.
# env: MODDIR, RESULTS, KVER, EEKBP_ROOT, EEKBP_GUEST_ADDR.
TESTS_FILE=$RESULTS/latency-tests.txt
G=$EEKBP_ROOT/integration-tests/src/test/resources/guest
# shellcheck source=lib.sh
. "$G/kernel/lib.sh"
# shellcheck source=../bench/latency-trace.sh
. "$G/bench/latency-trace.sh"
# shellcheck source=../bench/modes.sh
. "$G/bench/modes.sh"
pids=()
cleanup() {
	lat_stop
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	touch "$RESULTS/done"
}
trap cleanup EXIT

step=0
traffic() { # <label>: the host's round trips, answered in traffic-<n>-done
	echo "$1" >"$RESULTS/.traffic"
	mv "$RESULTS/.traffic" "$RESULTS/traffic-$step"
	wait_for 900 test -e "$RESULTS/traffic-$step-done"
	step=$((step + 1))
}
measured() { # <mode>: histograms of one traffic step with the instrument on
	local d=$RESULTS/lat-$1 rx
	mkdir -p "$d"
	lat_start eth0 $IRQS || { lat_stop; return 1; }
	traffic "$1-on"
	lat_dump "$d"
	lat_stop
	rx=$(awk '{ n += $2 } END { print n + 0 }' "$d/irq2rx")
	log "$1: irq2rx samples $rx, irq2sock samples $(awk '{ n += $2 } END { print n + 0 }' "$d/irq2sock")"
	[ "$rx" -ge 50 ]
}

pin_irqs eth0 1
IRQS=$(nic_irqs eth0 input)
log "eth0 receive IRQs: $IRQS"
taskset -c 1 sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >/dev/null 2>&1 &
pids+=($!)
snooze 1

check cost-baseline traffic napi-off
for m in napi threaded eekbp adaptive; do
	check "mode-$m" set_mode "$m"
	check "instrument-$m" measured "$m"
done
# kbp polls with the IRQs masked: few hardIRQs, reported without a bound
check mode-kbp set_mode kbp
measured kbp
check mode-napi-again set_mode napi
check cost-baseline-again traffic napi-off
check cost-with-instrument measured napi-cost
check tracing-clean sh -c "! grep -q eekbp /sys/kernel/tracing/synthetic_events /sys/kernel/tracing/kprobe_events"
check dmesg-clean dmesg_clean
log "done, $fails failed"
exit "$fails"
