#!/bin/bash
# Host side of adaptive-tests.sh: one-way UDP to the guest's sockperf server
# at $3 packets/s (2-second sockperf runs) until the guest creates $1/done;
# paused while $1/traffic-pause exists. One "RUN rc=<n>" line per run.
results=${1:?usage: host-flood.sh <results-dir> <guest-addr> <pps>}
addr=${2:?}
pps=${3:?}
until [ -e "$results/done" ]; do
	if [ -e "$results/traffic-pause" ] || [ ! -e "$results/server-up" ]; then
		sleep 0.2
		continue
	fi
	sockperf throughput -i "$addr" -p 11111 -t 2 -m 64 --mps="$pps" >/dev/null 2>&1
	echo "RUN rc=$?"
done
