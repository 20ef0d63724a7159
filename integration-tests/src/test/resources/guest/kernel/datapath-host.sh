#!/bin/bash
# Host side of datapath-cases.sh and soak.sh, run in the guest's netns.
# Serves what the guest asks for until it creates $1/done:
#   UDP 198.18.0.1:11111   sockperf server (guest-side ping-pong clients)
#   TCP 5001 (v4, v6)      sends $1/bulk.bin ($4 MiB, default 16, random), whose
#                          sha256 is in $1/bulk.sha256
#   $1/flood               while it exists: UDP to the guest's port 11112 at
#                          the rate (messages/s) it holds
# Adds fd00:eb::1/64 to the tap for IPv6.
results=${1:?usage: datapath-host.sh <results-dir> <guest-addr> <tap> [bulk MiB]}
addr=${2:?}
tap=${3:?}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

ip -6 addr add fd00:eb::1/64 dev "$tap" nodad
head -c "$((${4:-16} << 20))" /dev/urandom >"$results/bulk.bin"
sha256sum <"$results/bulk.bin" | cut -d' ' -f1 >"$results/bulk.sha256"
sockperf server -i 198.18.0.1 -p 11111 >/dev/null 2>&1 &
pids+=($!)
for fam in 4 6; do
	# ipv6only: the v6 listener must not take the v4 port too
	socat "TCP$fam-LISTEN:5001,reuseaddr,fork$([ $fam = 6 ] && echo ,ipv6only=1)" \
		"OPEN:$results/bulk.bin,rdonly" >/dev/null 2>&1 &
	pids+=($!)
done
touch "$results/host-up"
echo "host: servers up"
until [ -e "$results/done" ]; do
	if [ -e "$results/flood" ]; then
		sockperf throughput -i "$addr" -p 11112 -t 1 \
			--mps="$(cat "$results/flood" 2>/dev/null || echo 1000)" \
			-m 64 2>&1 | grep -E 'Summary: Message Rate'
	else
		sleep 0.2
	fi
done
rm -f "$results/bulk.bin"
