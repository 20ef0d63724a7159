# The packages and their service in one systemd guest (run by DebInstallTest):
# install as a user would, the service under systemd (READY, watchdog, a
# frequency-control toggle by config edit and by reload under traffic,
# kill -9 then adopt, stop restoring the machine), systemd-analyze security,
# upgrade to a higher version, purge while running, nothing of eekbp left.
# Env: DEB_DIR (packages of V), UP_DIR (packages of UP), V, UP, and the DKMS
# binaries-only tarballs DKMS_V / DKMS_UP built on the host for $KVER.
# "T+<s>" lines time the steps (the test's wall time budget).
rc=0
T0=$(date +%s%N)
el() { local d=$(( ($(date +%s%N) - T0) / 10000000 )); printf '%d.%02d' $((d / 100)) $((d % 100)); }
step() { echo "T+$(el)s $*"; }
ok() { echo "TEST: $1 [ OK ]"; }
ko() { [ -n "$2" ] && echo "$1: $2"; echo "TEST: $1 [FAIL]"; rc=1; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }
# wait_for SECONDS COMMAND...: COMMAND is re-run every 0.1 s (pass helpers,
# not $(...) the caller would expand once)
wait_for() {
	local n=$(( $1 * 10 )); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
prop() { systemctl show -p "$1" --value eekbp; }
mainpid() { prop MainPID; }
active() { [ "$(systemctl is-active eekbp)" = active ]; }
gov1() { cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor; }
gov1_is() { [ "$(gov1)" = "$1" ]; }
attr_is() { [ "$(cat "/sys/kernel/eekbp/$1" 2>/dev/null)" = "$2" ]; }
status_has() { prop StatusText | grep -q -- "$1"; }
packets1() { sed -n 's/^cpu=1 .*packets=\([0-9]*\).*/\1/p' /sys/kernel/eekbp/stats 2>/dev/null; }
irq_aff() {
	# virtio-net: the MSI vectors belong to the PCI function above virtioN
	for i in $(ls /sys/class/net/eth0/device/msi_irqs /sys/class/net/eth0/device/../msi_irqs 2>/dev/null | grep -x '[0-9]*'); do
		printf '%s:%s ' "$i" "$(cat /proc/irq/$i/smp_affinity_list 2>/dev/null)"
	done
}
restored() {
	check "$1-unloaded" sh -c '! test -d /sys/module/eekbp && ! test -d /sys/module/eekbp_livepatch'
	check "$1-governor-restored" test "$(gov1)" = "$GOV1"
	check "$1-irq-affinity-restored" test "$(irq_aff)" = "$AFF"
}
# Prebuilt modules into the DKMS tree of the registered sources (ldtarball
# then fails to re-add them, which is expected), then `dkms install`.
dkms_modules() {
	dkms ldtarball --force "$1" >>"$RESULTS/dkms.log" 2>&1
	test -d "/var/lib/dkms/eekbp/$2/$KVER/x86_64/module" &&
		dkms install -m eekbp -v "$2" -k "$KVER" >>"$RESULTS/dkms.log" 2>&1
}
# traffic N SECONDS: the host runs sockperf ping-pong for SECONDS (its log
# lands in $RESULTS/sockperf-N.log and "traffic-N-done" when it ends).
traffic_start() { echo "$2" >"$RESULTS/traffic-$1.tmp"; mv "$RESULTS/traffic-$1.tmp" "$RESULTS/traffic-$1"; }
traffic_wait() { wait_for 180 test -e "$RESULTS/traffic-$1-done"; }
sockperf_num() { sed -n "s/.*# $2 messages = \([0-9]*\).*/\1/p" "$RESULTS/sockperf-$1.log" | head -1; }
# The machine's state every 20 s, for a step that hangs.
( while sleep 20; do echo "== T+$(el)s"; ps -eo pid,stat,etimes,args --forest | grep -v ' \[' ; done ) \
	>"$RESULTS/ps.log" 2>&1 &
PSMON=$!
export DEBIAN_FRONTEND=noninteractive
# The host root comes from a container whose policy-rc.d forbids starting
# services; a real host has none.
rm -f /usr/sbin/policy-rc.d
# man-db's trigger rebuilds the whole man index per dpkg run (40-60 s under
# TCG) while this file exists (man-db/auto-update in debconf only sets it).
rm -f /var/lib/man-db/auto-update

# A JVM under TCG on a loaded 2-core host starts 50-100x slower than on a
# real one: more time than the unit's 120 s to reach READY (the package's
# daemon-reload picks this drop-in up; removed before the purge).
mkdir -p /etc/systemd/system/eekbp.service.d
printf '[Service]\nTimeoutStartSec=600s\n' >/etc/systemd/system/eekbp.service.d/tcg.conf

insmod "$MODDIR/eekbp_testfreq.ko" || ko testfreq-insmod
modprobe cpufreq_userspace 2>/dev/null
GOV1=$(gov1)
AFF=$(irq_aff)
echo "before: cpu1 governor $GOV1, eth0 irqs $AFF"
sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >"$RESULTS/sockperf-server.log" 2>&1 &

# --- install: both packages in one dpkg run, then the host-built modules
step install
t0=$(date +%s)
check install dpkg -i "$DEB_DIR/eekbp-dkms_${V}_all.deb" "$DEB_DIR/eekbp_${V}_amd64.deb"
step dkms
check dkms-registered sh -c "dkms status -m eekbp | grep -q '^eekbp/$V'"
check dkms-prebuilt-modules dkms_modules "$DKMS_V" "$V"
check modules-in-updates-dkms sh -c "ls /lib/modules/$KVER/updates/dkms/ | grep -q '^eekbp_livepatch.ko'"
echo "install_s=$(( $(date +%s) - t0 ))" >>"$RESULTS/metrics"
check not-started-on-install sh -c '! systemctl is-active -q eekbp'
check conffile sh -c "dpkg-query -W -f='\${Conffiles}' eekbp | grep -q /etc/eekbp/eekbp.toml"
step version
eekbp version >"$RESULTS/version.txt" 2>&1
cat "$RESULTS/version.txt"
check version-is-package grep -q "^eekbp $V (kernel ABI [0-9]*, Java 25" "$RESULTS/version.txt"

# --- systemd-analyze security: the shipped unit as systemd loaded it, and
# a copy without its hardening block ("# Least privilege" up to [Install])
# as the before (--offline: no daemon-reload).
step security
systemd-analyze security --no-pager eekbp >"$RESULTS/security-after.txt" 2>&1
mkdir -p /tmp/unhardened
sed '/^# Least privilege/,/^\[Install\]/{/^\[Install\]/!d}' /lib/systemd/system/eekbp.service \
	>/tmp/unhardened/eekbp.service
systemd-analyze security --no-pager --offline=yes /tmp/unhardened/eekbp.service \
	>"$RESULTS/security-before.txt" 2>&1
exposure() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' "$1"; }
echo "exposure: before $(exposure "$RESULTS/security-before.txt"), after $(exposure "$RESULTS/security-after.txt")"
check security-scored test -n "$(exposure "$RESULTS/security-after.txt")" -a -n "$(exposure "$RESULTS/security-before.txt")"
check security-lower awk -v a="$(exposure "$RESULTS/security-after.txt" | cut -d' ' -f1)" \
	-v b="$(exposure "$RESULTS/security-before.txt" | cut -d' ' -f1)" 'BEGIN { exit !(a + 0 < b + 0) }'

# --- start: the operator's edit (serve cpu 1 and eth0, no power sources)
sed -i -e 's/^cpus = "0" /cpus = "1" /' -e 's/^devices = \[\] /devices = ["eth0"] /' \
	-e 's/^rapl = "auto"/rapl = "off"  /' -e 's/^ipmi = "auto"/ipmi = "off"  /' /etc/eekbp/eekbp.toml
check config-edited grep -q '^cpus = "1"' /etc/eekbp/eekbp.toml
step start
t0=$(date +%s)
# Type=notify: returns once the agent sent READY=1
check start systemctl enable --now eekbp
check start-ready test "$(prop ActiveState) $(prop SubState)" = "active running"
active || journalctl -u eekbp --no-pager -n 40
echo "start_s=$(( $(date +%s) - t0 ))" >>"$RESULTS/metrics"
echo "status: $(prop StatusText)"
check start-status-text status_has 'mode eekbp on CPUs 1, devices eth0, frequency control on'
check served-cpu1 sh -c 'grep -q "^cpu=1 " /sys/kernel/eekbp/stats'
check governor-switched gov1_is userspace
check runtime-is-bundled sh -c 'readlink /proc/$(systemctl show -p MainPID --value eekbp)/exe | grep -q ^/usr/lib/eekbp/jre/'
check state-file-original-governor grep -q "\"1\": \"$GOV1\"" /run/eekbp/state.json
check watchdog-set test "$(prop WatchdogUSec)" = 30s
WD0=$(prop WatchdogTimestampMonotonic)
PID=$(mainpid)

# --- frequency control off by a config edit, on again by systemctl reload,
# under UDP ping-pong from the host
step traffic-1
P0=$(packets1)
traffic_start 1 20
sleep 3
sed -i 's/^control = true /control = false/' /etc/eekbp/eekbp.toml
check edit-freq-off wait_for 20 attr_is freq_ctl 0
check edit-freq-off-governor-restored wait_for 5 gov1_is "$GOV1"
check edit-freq-off-status wait_for 5 status_has 'frequency control off'
sleep 2
sed -i 's/^control = false/control = true /' /etc/eekbp/eekbp.toml
check reload systemctl reload eekbp
check reload-freq-on wait_for 20 attr_is freq_ctl 1
check reload-governor-userspace wait_for 5 gov1_is userspace
check reload-status wait_for 5 status_has 'frequency control on'
check reload-same-pid test "$(systemctl is-active eekbp) $(mainpid)" = "active $PID"
check traffic-1-done traffic_wait 1
P1=$(packets1)
echo "packets cpu1: $P0 -> $P1; sockperf: $(grep -E 'dropped|Summary: Latency' "$RESULTS/sockperf-1.log" | tr '\n' ' ')"
check thread-served-traffic test "${P1:-0}" -gt "$(( ${P0:-0} + 1000 ))"
[ "${P1:-0}" -gt "$(( ${P0:-0} + 1000 ))" ] || {
	grep . /sys/kernel/eekbp/enabled /sys/kernel/eekbp/cpus /sys/kernel/eekbp/devices \
		/sys/kernel/livepatch/eekbp_livepatch/enabled /sys/kernel/eekbp/stats; echo "irqs $(irq_aff)"; }
check toggles-no-loss test "$(sockperf_num 1 dropped)" -le 1
curl -sf http://127.0.0.1:9477/metrics >"$RESULTS/scrape.txt"
check prometheus-scrape grep -q "^eekbp_build_info{.*version=\"$V\"" "$RESULTS/scrape.txt"
check watchdog-pings wait_for 30 sh -c "[ \"\$(systemctl show -p WatchdogTimestampMonotonic --value eekbp)\" -gt $WD0 ]"

# --- kill -9: systemd restarts the agent, which adopts the loaded modules
# and keeps the restore data of /run/eekbp/state.json
step kill
NR=$(prop NRestarts)
systemctl kill -s KILL eekbp
check kill-modules-stay test -d /sys/module/eekbp
restarted() { active && [ "$(mainpid)" != "$PID" ] && [ "$(mainpid)" != 0 ]; }
check kill-restarted wait_for 150 restarted
check kill-nrestarts test "$(prop NRestarts)" = $((NR + 1))
check adopt-status status_has '(adopted running module)'
check adopt-state-file-original-governor grep -q "\"1\": \"$GOV1\"" /run/eekbp/state.json
check adopt-freq-ctl attr_is freq_ctl 1

# --- stop: unit inactive (not failed), the original machine back
step stop
check stop systemctl stop eekbp
echo "unit after stop: $(prop ActiveState) result $(prop Result) status $(prop ExecMainStatus)"
check stop-unit-inactive test "$(prop ActiveState) $(prop Result)" = "inactive success"
restored stop
check stop-state-file-gone test ! -e /run/eekbp/state.json

# --- upgrade both (the unit is enabled: the postinst starts it); eekbp
# depends on eekbp-dkms of its version, so dpkg configures eekbp-dkms first
# (where a real host builds the modules), here split to load the prebuilt
# modules before eekbp's postinst starts the agent.
step upgrade
check upgrade-unpack dpkg --unpack "$UP_DIR/eekbp-dkms_${UP}_all.deb" "$UP_DIR/eekbp_${UP}_amd64.deb"
check upgrade-configure-dkms dpkg --configure eekbp-dkms
check dkms-prebuilt-modules-up dkms_modules "$DKMS_UP" "$UP"
check upgrade-configure-agent dpkg --configure eekbp
check upgraded-version test "$(dpkg-query -W -f='${Version}' eekbp)" = "$UP"
check upgrade-config-kept grep -q '^cpus = "1"' /etc/eekbp/eekbp.toml
check upgrade-no-dpkg-dist sh -c '! ls /etc/eekbp/*.dpkg-* 2>/dev/null'
check upgrade-active wait_for 150 active
check upgrade-dkms-current sh -c "dkms status -m eekbp | grep -q '^eekbp/$UP' && ! dkms status -m eekbp | grep -q '^eekbp/$V,'"
step traffic-2
P0=$(packets1)
traffic_start 2 5
check traffic-2-done traffic_wait 2
P1=$(packets1)
check upgrade-thread-served-traffic test "${P1:-0}" -gt "$(( ${P0:-0} + 500 ))"
check upgrade-build-info sh -c "curl -sf http://127.0.0.1:9477/metrics | grep -q '^eekbp_build_info{.*version=\"$UP\"'"

# --- purge while running: prerm stops the service, which restores the machine
step purge
journalctl -u eekbp --no-pager -o short-monotonic >"$RESULTS/journal.txt" 2>&1
rm -r /etc/systemd/system/eekbp.service.d
check purge dpkg --purge eekbp eekbp-dkms
step purged
restored purge
check purge-no-packages sh -c '! dpkg-query -W -f="\${Status}\n" eekbp eekbp-dkms 2>/dev/null | grep -q installed'
left=$(ls -d /etc/eekbp /var/lib/eekbp /run/eekbp /var/log/eekbp /var/cache/eekbp /usr/lib/eekbp \
	/usr/bin/eekbp /usr/src/eekbp-* /var/lib/dkms/eekbp /lib/systemd/system/eekbp.service \
	/etc/systemd/system/multi-user.target.wants/eekbp.service /usr/share/doc/eekbp* \
	/lib/modules/"$KVER"/updates/dkms/eekbp* 2>/dev/null)
echo "left after purge: ${left:-nothing}"
check purge-nothing-left test -z "$left"
check purge-unit-gone sh -c '! systemctl cat eekbp >/dev/null 2>&1'
journalctl -u eekbp --no-pager -o short-monotonic >"$RESULTS/journal.txt" 2>&1
kill $PSMON 2>/dev/null
step end
exit $rc
