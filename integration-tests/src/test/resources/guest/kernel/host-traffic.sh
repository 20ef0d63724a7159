#!/bin/bash
# Host side of kernel-tests.sh: UDP round trips to the guest's sockperf
# server until the guest creates $1/done; paused while $1/traffic-pause
# exists. One "RUN rc=<n>" line per 2-second sockperf run.
results=${1:?usage: host-traffic.sh <results-dir> <guest-addr>}
addr=${2:?}
until [ -e "$results/done" ]; do
	if [ -e "$results/traffic-pause" ] || [ ! -e "$results/server-up" ]; then
		sleep 0.2
		continue
	fi
	out=$(sockperf ping-pong -i "$addr" -p 11111 -t 2 --mps=500 2>&1)
	rc=$?
	echo "$out" | grep -E 'Summary|percentile 50.000|observations'
	echo "RUN rc=$rc"
done
