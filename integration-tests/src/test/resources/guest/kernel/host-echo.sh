#!/bin/bash
# Host side of adaptive-tests.sh's round-trip cases: for each request
# $1/echo-req-<tag> ("<sockperf mode> <messages/s> <seconds>") runs sockperf
# against the guest's server at $2:11111 into $1/echo-<tag>.txt, then
# touches $1/echo-<tag>-done; until $1/done exists. under-load asks a
# reply for every message, so sent - received is the loss.
results=${1:?usage: host-echo.sh <results-dir> <guest-addr>}
addr=${2:?usage: host-echo.sh <results-dir> <guest-addr>}
until [ -e "$results/done" ]; do
	for req in "$results"/echo-req-*; do
		[ -e "$req" ] || continue
		tag=${req##*/echo-req-}
		read -r mode mps secs <"$req"
		rm -f "$req"
		extra=()
		[ "$mode" = under-load ] && extra=(--reply-every 1)
		sockperf "$mode" -i "$addr" -p 11111 -t "$secs" --mps="$mps" "${extra[@]}" \
			>"$results/echo-$tag.txt" 2>&1
		touch "$results/echo-$tag-done"
	done
	sleep 0.2
done
