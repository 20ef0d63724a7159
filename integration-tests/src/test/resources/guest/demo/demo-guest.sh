# make demo, guest side: the agent runs EE-KBP from the default config on
# CPU 1 of a 2-vCPU guest while the host sends UDP round trips to an
# unmodified sockperf server. Lines starting "demo:" are shown to the user.
say() { echo "demo: $*"; }
attr() { cat "/sys/kernel/eekbp/$1" 2>/dev/null; }
# wait_for SECONDS COMMAND...: poll until COMMAND succeeds or time runs out
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}
netrx() { awk '/NET_RX/ {print $2, $3}' /proc/softirqs; }
fail() { say "FAILED: $*"; exit 1; }

JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JOPTS="--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m"
JAR=$EEKBP_ROOT/agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar
CONF=/tmp/eekbp/eekbp.toml

say "guest kernel $(uname -r), $(nproc) vCPUs"
insmod "$MODDIR/eekbp_testfreq.ko" || fail "test cpufreq driver did not load"
say "test cpufreq driver: cpu1 $(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_available_frequencies 2>/dev/null) kHz," \
	"governor $(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)"

# The shipped default config, pointed at this guest's CPU 1, NIC eth0 (the
# shipped file names no device, so it moves no IRQ) and modules.
mkdir -p /tmp/eekbp
sed -e 's/^cpus = "0"/cpus = "1"/' \
	-e "s#^module_dir = \"\"#module_dir = \"$MODDIR\"#" \
	-e 's/^devices = \[\]/devices = ["eth0"]/' \
	-e 's#^jsonl = ""#jsonl = "/tmp/eekbp/telemetry.jsonl"#' \
	"$EEKBP_ROOT/packaging/eekbp.toml" >$CONF
chmod 0644 $CONF
say "config: $(grep -E '^(mode|cpus|devices|control)' $CONF | tr -s ' ' | cut -d'#' -f1 | tr '\n' ' ')"

before=$(netrx)
$JAVA $JOPTS -jar $JAR run --config $CONF >/tmp/eekbp/agent.log 2>&1 &
agent=$!
say "agent started (pid $agent); waiting for it to load the modules"
enabled() { test "$(attr enabled)" = 1 || ! kill -0 $agent 2>/dev/null; }
wait_for 240 enabled
if [ "$(attr enabled)" != 1 ]; then
	sed 's/^/demo:   agent: /' /tmp/eekbp/agent.log
	fail "agent did not enable EE-KBP"
fi
wait_for 60 test "$(cat /sys/kernel/livepatch/eekbp_livepatch/transition 2>/dev/null)" = 0
say "EE-KBP enabled: mode=$(attr mode) cpus=$(attr cpus) quota=$(attr quota) freq_ctl=$(attr freq_ctl)," \
	"livepatch transition done"
say "cpu1 governor $(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)," \
	"frequency while idle $(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq) kHz"

sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >/tmp/eekbp/server.log 2>&1 &
server=$!
wait_for 10 sh -c "ss -lun | grep -q ':11111 '"
say "unmodified sockperf UDP echo server listening on $EEKBP_GUEST_ADDR:11111"
touch "$RESULTS/ready"
wait_for 300 test -e "$RESULTS/host-done" || fail "host traffic did not finish"
after=$(netrx)

say "kernel counters after traffic (/sys/kernel/eekbp/stats):"
attr stats | sed 's/^/demo:   /'
say "NET_RX softirqs per CPU (cpu0 cpu1): before [$before] after [$after]"
say "agent status:"
$JAVA $JOPTS -jar $JAR status --config $CONF 2>&1 | sed 's/^/demo:   /'
kill $server
kill -TERM $agent
wait_for 90 sh -c "! kill -0 $agent 2>/dev/null" || fail "agent did not stop"
if [ -e /sys/module/eekbp ]; then fail "module still loaded after stop"; fi
say "agent stopped: modules unloaded, cpu1 governor back to" \
	"$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)"
say "telemetry samples written: $(wc -l </tmp/eekbp/telemetry.jsonl 2>/dev/null || echo 0)"
cp /tmp/eekbp/agent.log /tmp/eekbp/telemetry.jsonl "$RESULTS/" 2>/dev/null
if dmesg | grep -E 'BUG:|WARNING:|Oops'; then fail "kernel warnings in dmesg"; fi
say "kernel log clean"
exit 0
