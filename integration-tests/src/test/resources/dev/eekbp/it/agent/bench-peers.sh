# `eekbp bench` over every peer of `make bench` in one guest boot (run by
# BenchPeersTest): a cell per mode against a UDP echo on the host, each
# peer's knobs seen while its cell runs, the host's values back after,
# charts written. (kill -9 and `eekbp unload` of the knobs: BenchHostTest.)
# (agent-guest-lib.sh in front: ok/ko/check, metric, now_ms, wait_for, JAVA, JAR, AOPTS, W)
num_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
mkdir -p $W/etc $W/run
CONF=$W/etc/eekbp.toml
STATE=$W/run/state.json
KNOBS=$W/run/bench-knobs
metric boot_to_script_s "$(cut -d. -f1 /proc/uptime)"
NET=/sys/class/net/eth0
CORE=/proc/sys/net/core

insmod "$MODDIR/eekbp_testfreq.ko" || ko testfreq-insmod
modprobe cpufreq_userspace 2>/dev/null
GOV1=$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)

cat > $CONF <<CONF
[kernel]
mode = "eekbp"
cpus = "1"
devices = ["eth0"]
module_dir = "$MODDIR"
[placement]
irq_affinity = true
[telemetry]
prometheus = false
rapl = "off"
ipmi = "off"
CONF
chmod 0644 $CONF

# The host's own tuning, not the kernel defaults, so a restore is visible.
echo 1 > $NET/napi_defer_hard_irqs
echo 3000 > $NET/gro_flush_timeout
echo 7 > $CORE/busy_poll
# builtins only: a fork per read costs real time under TCG while the JVM runs
knobs() {
	local a b c d e
	read -r a < $NET/threaded; read -r b < $NET/napi_defer_hard_irqs; read -r c < $NET/gro_flush_timeout
	read -r d < $CORE/busy_read; read -r e < $CORE/busy_poll
	echo "$a $b $c $d $e"
}
mkfifo /tmp/bench-nap && exec {NAPFD}<> /tmp/bench-nap
nap() { read -r -t "$1" -u "$NAPFD" _; }
BEFORE=$(knobs)
echo "knobs before (threaded defer flush busy_read busy_poll): $BEFORE"
check knobs-set test "$BEFORE" = "0 1 3000 0 7"

MODES=napi,threaded,threaded-defer,busy-read,kbp,eekbp,eekbp-freq,adaptive,adaptive-freq
# knobs in the middle of every cell, as the bench set them (one line per sample)
# and the CPUs eth0's napi thread may run on (- until threaded NAPI made one)
napi_cpus() {
	local k v
	[ -n "$NP" ] || { NP=$(pgrep '^napi/eth0' | head -1); [ -n "$NP" ] || { echo -; return; }; }
	while read -r k v; do [ "$k" = Cpus_allowed_list: ] && { echo "$v"; return; }; done < /proc/$NP/status
	echo -
}
NP=
( while :; do printf "%s " "$EPOCHREALTIME"; k=$(knobs); echo "$k $(napi_cpus)"; nap 0.2; done ) \
	> $RESULTS/knobs-during.txt 2>&1 &
WATCH=$!
touch "$RESULTS/ready"
wait_for 120 test -e "$RESULTS/echo-started" || ko echo-started
t0=$(now_ms)
$JAVA $AOPTS -jar $JAR bench --config $CONF --state-file $STATE --modes $MODES --reps 1 --cell 3s \
	--settle 500ms --target "$EEKBP_HOST_ADDR:7777" --rate 50 --json $RESULTS/bench.json \
	--plot $RESULTS/charts > $RESULTS/bench.log 2>&1 &
BENCH=$!
wait_for 300 test -s $RESULTS/bench.log && metric bench_first_line_ms $(( $(now_ms) - t0 ))
wait $BENCH
BENCH_RC=$?
metric bench_ms $(( $(now_ms) - t0 ))
kill $WATCH 2>/dev/null
check bench-exit-0 test "$BENCH_RC" = 0
# every cell field as "mode key value" in one jq run, then builtins only (an exec is slow under TCG)
jq -r '.cells[] | .mode as $m | to_entries[] | "\($m) \(.key) \(.value)"' $RESULTS/bench.json \
	> $RESULTS/cells.txt
declare -A C N
while read -r m k v; do
	C[$m.$k]=$v
	[ "$k" = mode ] && N[$m]=$(( ${N[$m]:-0} + 1 ))
done < $RESULTS/cells.txt
check bench-json-cells test "$(grep -c ' mode ' $RESULTS/cells.txt)" = 9
# integer part > N (values are decimals or "null")
int_gt() { local v=${1%%.*}; [[ $v =~ ^[0-9]+$ ]] && [ "$v" -gt "$2" ]; }
for m in ${MODES//,/ }; do
	check bench-$m-one-cell test "${N[$m]:-0}" = 1
	# 150 offered; the prober falls behind when TCG is busy (33 sent in one run)
	check bench-$m-round-trips int_gt "${C[$m.probes_sent]}" 15
	check bench-$m-packets int_gt "${C[$m.rx_packets]}" 15
	check bench-$m-hardirqs-per-packet test "${C[$m.hardirqs_per_packet]}" != null
	metric bench_${m}_hardirq_netrx_wakes_per_pkt_pollcpu_p50 "${C[$m.hardirqs_per_packet]}/${C[$m.net_rx_per_packet]}/${C[$m.wakes_per_packet]}/${C[$m.poll_thread_cpu_seconds]}/${C[$m.rtt_p50_us]}"
done
check bench-table grep -q '^adaptive-freq ' $RESULTS/bench.log
# every peer ran with its own knobs: seen from outside while its cell ran
check knobs-seen-threaded grep -q ' 1 0 0 0 0 ' $RESULTS/knobs-during.txt
check knobs-seen-threaded-defer grep -q ' 1 2 20000 0 0 ' $RESULTS/knobs-during.txt
check knobs-seen-busy-read grep -q ' 0 0 0 50 50 ' $RESULTS/knobs-during.txt
# threaded NAPI's thread polled on the served CPU (1) during its cells, as in make bench,
# and may run anywhere again after
check napi-thread-pinned-during grep -q ' 1 0 0 0 0 1$' $RESULTS/knobs-during.txt
check napi-thread-pinned-note grep -q 'napi thread(s) pinned to the served CPUs' $RESULTS/bench.log
NP=$(pgrep '^napi/eth0' | head -1)
NPC=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$NP/status 2>/dev/null)
echo "napi thread $NP after the bench: CPUs $NPC"
check napi-thread-affinity-restored test "$NPC" = "0-1"
# threaded NAPI polls in its kthread, not in NET_RX; the module's thread wakes per packet
check bench-threaded-off-softirq int_gt "$(( ${C[napi.net_rx_softirqs]} / 4 ))" "${C[threaded.net_rx_softirqs]}"
check bench-threaded-poll-cpu test "${C[threaded.poll_thread_cpu_seconds]}" != null
check bench-eekbp-wakes-per-packet num_gt "${C[eekbp.wakes_per_packet]}" 0.1
check bench-napi-no-wakes test "${C[napi.wakes_per_packet]}" = null
check bench-freq-changes num_gt "${C[eekbp-freq.freq_transitions]}" 0
check bench-no-power-no-energy test "${C[napi.microjoules_per_packet]}" = null
AFTER=$(knobs)
echo "knobs after: $AFTER"
check bench-restored-knobs test "$AFTER" = "$BEFORE"
check bench-restored-knobs-file test ! -e $KNOBS
check bench-restored-module test ! -e /sys/module/eekbp
check bench-restored-governor test "$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)" = "$GOV1"
check bench-restored-state test ! -e $STATE
for f in rtt-p50 rtt-p99 hardirqs-per-packet net-rx-per-packet wakes-per-packet poll-cpu-per-packet \
	served-cpu-busy; do
	check chart-$f sh -c "head -c 8 $RESULTS/charts/$f.png | od -An -c | grep -q 'P   N   G'"
done
check chart-no-watts test ! -e $RESULTS/charts/watts.png
check dmesg-clean sh -c "! dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|eekbp.*error'"
exit $rc
