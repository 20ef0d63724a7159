# Agent lifecycle in one guest boot (run by AgentLifecycleTest).
# (agent-guest-lib.sh in front: ok/ko/check, metric, now_ms, wait_for, JAVA, JAR, AOPTS, W)
attr() { cat "/sys/kernel/eekbp/$1" 2>/dev/null; }
attr_is() { [ "$(attr "$1")" = "$2" ]; }
gov() { cat "/sys/devices/system/cpu/cpu$1/cpufreq/scaling_governor"; }
gov_is() { [ "$(gov "$1")" = "$2" ]; }
alive() { kill -0 "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }
CP=$RESULTS/it-classes:$JAR
mkdir -p $W/etc
CONF=$W/etc/eekbp.toml
STATE=$W/run/state.json
NOTIFY=$W/notify.sock
NLOG=$RESULTS/notify.log

# Test cpufreq driver and governors
insmod "$MODDIR/eekbp_testfreq.ko" || ko testfreq-insmod
modprobe cpufreq_userspace 2>/dev/null
GOV0=$(cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor)
GOV1=$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)
echo "governors before: cpu0=$GOV0 cpu1=$GOV1"
check cpufreq-present test -n "$GOV1"
IRQS=$(ls /sys/class/net/eth0/device/msi_irqs 2>/dev/null; ls /sys/class/net/eth0/device/../msi_irqs 2>/dev/null)
AFF_BEFORE=""
for i in $IRQS; do AFF_BEFORE="$AFF_BEFORE $i:$(cat /proc/irq/$i/smp_affinity_list 2>/dev/null)"; done
echo "irq affinity before:$AFF_BEFORE"

write_conf() {
	cat > $CONF.new <<CONF
[kernel]
mode = "eekbp"
cpus = "1"
devices = ["eth0"]
quota = 64
module_dir = "$MODDIR"
[frequency]
control = $1
[placement]
irq_affinity = true
[telemetry]
prometheus = false
rapl = "off"
ipmi = "off"
CONF
	chmod 0644 $CONF.new
	mv $CONF.new $CONF
}
write_conf true

$JAVA $JOPTS -cp "$CP" dev.eekbp.it.agent.NotifyReceiver $NOTIFY $NLOG > $RESULTS/receiver.log 2>&1 &
RECV=$!
check notify-receiver-bound wait_for 60 test -e $NLOG.bound

start_agent() {
	NOTIFY_SOCKET=$NOTIFY $JAVA $AOPTS -jar $JAR run --config $CONF --state-file $STATE \
		>> "$RESULTS/agent-$1.log" 2>&1 &
	AGENT=$!
}
ready_count() { cat $NLOG 2>/dev/null | grep -c 'READY=1'; }
ready_ge() { [ "$(ready_count)" -ge "$1" ]; }

# 1. first start: load modules through finit_module, apply, READY
t0=$(now_ms)
start_agent 1
if wait_for 150 ready_ge 1; then
	ok ready-1; metric ready_ms_first $(( $(now_ms) - t0 ))
else
	ko ready-1 "$(tail -5 $RESULTS/agent-1.log)"
fi
metric rss_kb_first "$(awk '/VmRSS/ {print $2}' /proc/$AGENT/status)"
check module-loaded test -d /sys/module/eekbp
check livepatch-enabled test "$(cat /sys/kernel/livepatch/eekbp_livepatch/enabled 2>/dev/null)" = 1
check livepatch-transition-done test "$(cat /sys/kernel/livepatch/eekbp_livepatch/transition 2>/dev/null)" = 0
check sysfs-mode test "$(attr mode)" = eekbp
check sysfs-cpus test "$(attr cpus)" = 1
check sysfs-devices test "$(attr devices)" = eth0
check sysfs-enabled test "$(attr enabled)" = 1
check sysfs-freq-ctl-on test "$(attr freq_ctl)" = 1
check governor-userspace test "$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)" = userspace
check governor-cpu0-untouched test "$(cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor)" = "$GOV0"
for i in $IRQS; do
	check irq-$i-pinned test "$(cat /proc/irq/$i/smp_affinity_list)" = 1
done
check state-file-governor grep -q "\"1\": \"$GOV1\"" $STATE
# `eekbp status` in the background (a JVM start is slow under TCG); checked at the end
( $JAVA $AOPTS -jar $JAR status --no-inventory --state-file $STATE > $RESULTS/status.txt 2>&1
  echo $? > $RESULTS/status.rc ) &
STATUS_PID=$!

# 2. hot reload of frequency control under traffic from the host
sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 > "$RESULTS/sockperf-server.log" 2>&1 &
SERVER=$!
wait_for 10 sh -c "ss -lun | grep -q ':11111 '"
touch "$RESULTS/ready"
wait_for 120 test -e "$RESULTS/traffic-started" || ko traffic-started
sleep 3
t0=$(now_ms)
write_conf false
if wait_for 5 attr_is freq_ctl 0; then
	ok reload-freq-off; metric reload_off_ms $(( $(now_ms) - t0 ))
else
	ko reload-freq-off
fi
check reload-governor-restored wait_for 2 gov_is 1 "$GOV1"
sleep 2
t0=$(now_ms)
write_conf true
if wait_for 5 attr_is freq_ctl 1; then
	ok reload-freq-on; metric reload_on_ms $(( $(now_ms) - t0 ))
else
	ko reload-freq-on
fi
check reload-kept-enabled test "$(attr enabled)" = 1
# a bad config is rejected and the running one stays
printf '[kernel]\nquota = 5000\n' > $CONF.bad; chmod 0644 $CONF.bad; cp $CONF $CONF.good; mv $CONF.bad $CONF
check bad-config-rejected wait_for 10 grep -q 'kernel.quota: must be in 1..1024' "$RESULTS/agent-1.log"
check bad-config-kept-quota test "$(attr quota)" = 64
mv $CONF.good $CONF
check notify-status-reload grep -q '^[0-9]* STATUS=mode eekbp on CPUs 1, devices eth0, frequency control off' $NLOG
check notify-status-rejected grep -q '^[0-9]* STATUS=config rejected' $NLOG
wait_for 120 test -e "$RESULTS/host-done" || ko host-done
# reload times as the agent measured them (file change seen -> applied)
metric agent_reload_ms "$(grep -o 'reloaded in [0-9]* ms' "$RESULTS/agent-1.log" | awk '{print $3}' | paste -sd/)"
kill $SERVER 2>/dev/null

# 3. kill -9 leaves the module; a restarted agent adopts it and keeps the restore data
kill -9 $AGENT; wait $AGENT 2>/dev/null
check survives-kill9-module test "$(attr enabled)" = 1
check survives-kill9-state test -e $STATE
t0=$(now_ms)
start_agent 2
if wait_for 150 ready_ge 2; then
	ok ready-2-adopt; metric ready_ms_adopt $(( $(now_ms) - t0 ))
else
	ko ready-2-adopt "$(tail -5 $RESULTS/agent-2.log)"
fi
metric rss_kb_adopt "$(awk '/VmRSS/ {print $2}' /proc/$AGENT/status)"
check adopted-log grep -q 'module eekbp adopted' "$RESULTS/agent-2.log"
check adopted-status grep -q 'adopted running module' $NLOG
check adopt-kept-original-governor grep -q "\"1\": \"$GOV1\"" $STATE

# 4. SIGTERM: STOPPING=1, unload, restore
kill -TERM $AGENT
check agent-exits wait_for 90 gone $AGENT
wait $AGENT
check agent-exit-0-on-sigterm test $? = 0
check notify-stopping grep -q 'STOPPING=1' $NLOG
check livepatch-gone test ! -e /sys/kernel/livepatch/eekbp_livepatch
check livepatch-unloaded test ! -e /sys/module/eekbp_livepatch
check module-unloaded test ! -e /sys/module/eekbp
check governor-restored test "$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)" = "$GOV1"
AFF_AFTER=""
for i in $IRQS; do AFF_AFTER="$AFF_AFTER $i:$(cat /proc/irq/$i/smp_affinity_list 2>/dev/null)"; done
check irq-affinity-restored test "$AFF_AFTER" = "$AFF_BEFORE"
check state-file-removed test ! -e $STATE
check stopped-cleanly grep -q 'stopped cleanly' "$RESULTS/agent-2.log"
wait $STATUS_PID
check status-exit-0 test "$(cat $RESULTS/status.rc)" = 0
check status-shows-module grep -q 'module: eekbp loaded, ABI 1' $RESULTS/status.txt
# (status may run before or after the frequency-control toggle: governors vary)
check status-shows-restore-data grep -q 'restore data: governors {.*}, IRQ affinity {[0-9]' $RESULTS/status.txt
# 5. `eekbp bench`: every mode once against a UDP echo on the host, then all restored
cell() { jq -r --arg m "$1" ".cells[] | select(.mode == \$m) | .$2" $RESULTS/bench.json; }
num_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
wait_for 120 test -e "$RESULTS/echo-started" || ko echo-started
t0=$(now_ms)
$JAVA $AOPTS -jar $JAR bench --config $CONF --state-file $STATE --modes napi,kbp,eekbp,eekbp-freq --reps 1 \
	--cell 3s --settle 1s --target "$EEKBP_HOST_ADDR:7777" --rate 50 --json $RESULTS/bench.json \
	> $RESULTS/bench.log 2>&1
BENCH_RC=$?
metric bench_ms $(( $(now_ms) - t0 ))
check bench-exit-0 test "$BENCH_RC" = 0
check bench-table grep -q '^eekbp-freq ' $RESULTS/bench.log
check bench-json-cells test "$(jq '.cells | length' $RESULTS/bench.json)" = 4
for m in napi kbp eekbp eekbp-freq; do
	check bench-$m-round-trips num_gt "$(cell $m probes_sent)" 60
	check bench-$m-rtt test "$(cell $m rtt_p50_us)" != null
	metric bench_${m}_netrx_wakes_pollcpu_p50 \
		"$(cell $m net_rx_softirqs)/$(cell $m wakes)/$(cell $m poll_thread_cpu_seconds)/$(cell $m rtt_p50_us)"
done
check bench-napi-uses-softirq num_gt "$(cell napi net_rx_softirqs)" 50
check bench-napi-no-threads test "$(cell napi wakes)" = null
check bench-eekbp-off-softirq num_gt "$(( $(cell napi net_rx_softirqs) / 4 ))" "$(cell eekbp net_rx_softirqs)"
check bench-eekbp-wakes num_gt "$(cell eekbp wakes)" 50
check bench-kbp-polls-busy num_gt "$(cell kbp poll_thread_cpu_seconds)" "$(cell eekbp poll_thread_cpu_seconds)"
check bench-freq-changes num_gt "$(cell eekbp-freq freq_transitions)" 0
check bench-restored-module test ! -e /sys/module/eekbp
check bench-restored-governor test "$(gov 1)" = "$GOV1"
check bench-restored-state test ! -e $STATE
AFF_BENCH=""
for i in $IRQS; do AFF_BENCH="$AFF_BENCH $i:$(cat /proc/irq/$i/smp_affinity_list 2>/dev/null)"; done
check bench-restored-irq-affinity test "$AFF_BENCH" = "$AFF_BEFORE"
# bad input changes nothing
$JAVA $AOPTS -jar $JAR bench --config $CONF --state-file $STATE --cell 0s > $RESULTS/bench-bad.log 2>&1
check bench-bad-cell-exit-2 test $? = 2
check bench-bad-cell-message grep -q -- '--cell must be between 1s and 1h' $RESULTS/bench-bad.log

check dmesg-clean sh -c "! dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|eekbp.*error'"
kill $RECV 2>/dev/null
dmesg | grep -i eekbp > "$RESULTS/dmesg-eekbp.txt"
exit $rc
