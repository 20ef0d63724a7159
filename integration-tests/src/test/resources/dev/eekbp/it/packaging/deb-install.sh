# Packages in a systemd guest (run by DebInstallTest): install as a user
# would, run the service on the bundled runtime under traffic, reload, stop,
# upgrade to a higher version, purge, and check nothing of eekbp is left.
# Env: DEB_DIR (packages of V), UP_DIR (packages of UP), V, UP, and the DKMS
# binaries-only tarballs DKMS_V / DKMS_UP built on the host for $KVER.
rc=0
ok() { echo "TEST: $1 [ OK ]"; }
ko() { echo "TEST: $1 [FAIL] $2"; rc=1; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }
wait_for() {
	local n=$(( $1 * 10 )); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
active() { [ "$(systemctl is-active eekbp)" = active ]; }
gov1() { cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor; }
packets1() { sed -n 's/^cpu=1 .*packets=\([0-9]*\).*/\1/p' /sys/kernel/eekbp/stats 2>/dev/null; }
irq_aff() {
	# virtio-net: the MSI vectors belong to the PCI function above virtioN
	for i in $(ls /sys/class/net/eth0/device/msi_irqs /sys/class/net/eth0/device/../msi_irqs 2>/dev/null | grep -x '[0-9]*'); do
		printf '%s:%s ' "$i" "$(cat /proc/irq/$i/smp_affinity_list 2>/dev/null)"
	done
}
# Prebuilt modules into the DKMS tree of the registered sources (ldtarball
# then fails to re-add them, which is expected), then `dkms install`.
dkms_modules() {
	dkms ldtarball --force "$1" >>"$RESULTS/dkms.log" 2>&1
	test -d "/var/lib/dkms/eekbp/$2/$KVER/x86_64/module" &&
		dkms install -m eekbp -v "$2" -k "$KVER" >>"$RESULTS/dkms.log" 2>&1
}
traffic() {
	touch "$RESULTS/traffic-$1"
	wait_for 120 test -e "$RESULTS/traffic-$1-done"
}
export DEBIAN_FRONTEND=noninteractive
# The host root comes from a container whose policy-rc.d forbids starting
# services; a real host has none.
rm -f /usr/sbin/policy-rc.d
echo 'man-db man-db/auto-update boolean false' | debconf-set-selections

insmod "$MODDIR/eekbp_testfreq.ko" || ko testfreq-insmod
modprobe cpufreq_userspace 2>/dev/null
GOV1=$(gov1)
AFF=$(irq_aff)
echo "before: cpu1 governor $GOV1, eth0 irqs $AFF"
sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >"$RESULTS/sockperf-server.log" 2>&1 &

# install
t0=$(date +%s)
check install-dkms dpkg -i "$DEB_DIR/eekbp-dkms_${V}_all.deb"
check dkms-registered sh -c "dkms status -m eekbp | grep -q '^eekbp/$V'"
check dkms-prebuilt-modules dkms_modules "$DKMS_V" "$V"
check modules-in-updates-dkms sh -c "ls /lib/modules/$KVER/updates/dkms/ | grep -q '^eekbp_livepatch.ko'"
check install-agent dpkg -i "$DEB_DIR/eekbp_${V}_amd64.deb"
echo "install_s=$(( $(date +%s) - t0 ))" >>"$RESULTS/metrics"
check not-started-on-install sh -c '! systemctl is-active -q eekbp'
check bundled-runtime sh -c '/usr/lib/eekbp/jre/bin/java -version 2>&1 | grep -q "version \"25"'
check eekbp-version sh -c 'eekbp version | grep -q "^eekbp "'
check conffile sh -c "dpkg-query -W -f='\${Conffiles}' eekbp | grep -q /etc/eekbp/eekbp.toml"

# The operator's edit: serve cpu 1 and eth0, telemetry on loopback.
sed -i -e 's/^cpus = "0" /cpus = "1" /' -e 's/^devices = \[\] /devices = ["eth0"] /' \
	-e 's/^rapl = "auto"/rapl = "off"  /' -e 's/^ipmi = "auto"/ipmi = "off"  /' /etc/eekbp/eekbp.toml
check config-edited grep -q '^cpus = "1"' /etc/eekbp/eekbp.toml
t0=$(date +%s)
systemctl enable --now eekbp >"$RESULTS/enable.log" 2>&1
check service-ready wait_for 120 active
echo "start_s=$(( $(date +%s) - t0 ))" >>"$RESULTS/metrics"
check served-cpu1 sh -c 'grep -q "^cpu=1 " /sys/kernel/eekbp/stats'
check governor-switched sh -c "[ \"\$(cat /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor)\" = userspace ]"
check runtime-is-bundled sh -c 'readlink /proc/$(systemctl show -p MainPID --value eekbp)/exe | grep -q ^/usr/lib/eekbp/jre/'
P0=$(packets1)
traffic 1
P1=$(packets1)
echo "packets cpu1: $P0 -> $P1"
check thread-served-traffic test "${P1:-0}" -gt "$(( ${P0:-0} + 100 ))"
curl -sf http://127.0.0.1:9477/metrics >"$RESULTS/scrape.txt"
check prometheus-scrape test -s "$RESULTS/scrape.txt"

# reload keeps the unit active and the same process
PID=$(systemctl show -p MainPID --value eekbp)
check reload systemctl reload eekbp
sleep 2
check reload-same-pid test "$(systemctl is-active eekbp) $(systemctl show -p MainPID --value eekbp)" = "active $PID"

# stop restores the machine; the unit should end inactive (issue 12)
systemctl stop eekbp
state=$(systemctl is-active eekbp)
echo "unit after stop: $state (result $(systemctl show -p Result --value eekbp))"
if [ "$state" = inactive ]; then ok stop-unit-inactive; else echo "TEST: stop-unit-inactive [SKIP] $state"; fi
check stop-unloaded sh -c '! test -d /sys/module/eekbp'
check stop-governor-restored test "$(gov1)" = "$GOV1"
check stop-irq-affinity-restored test "$(irq_aff)" = "$AFF"
systemctl reset-failed eekbp 2>/dev/null
systemctl start eekbp
check restart-ready wait_for 120 active

# upgrade both; eekbp depends on eekbp-dkms of its version, so dpkg
# configures eekbp-dkms first (where a real host builds the modules), here
# split to load the prebuilt modules before eekbp's postinst restarts.
PID=$(systemctl show -p MainPID --value eekbp)
check upgrade-unpack dpkg --unpack "$UP_DIR/eekbp-dkms_${UP}_all.deb" "$UP_DIR/eekbp_${UP}_amd64.deb"
check upgrade-configure-dkms dpkg --configure eekbp-dkms
check dkms-prebuilt-modules-up dkms_modules "$DKMS_UP" "$UP"
check upgrade-configure-agent dpkg --configure eekbp
check upgraded-version test "$(dpkg-query -W -f='${Version}' eekbp)" = "$UP"
check upgrade-config-kept grep -q '^cpus = "1"' /etc/eekbp/eekbp.toml
check upgrade-no-dpkg-dist sh -c '! ls /etc/eekbp/*.dpkg-* 2>/dev/null'
check upgrade-active wait_for 120 active
NEWPID=$(systemctl show -p MainPID --value eekbp)
check upgrade-restarted test "$NEWPID" != "$PID" -a "$NEWPID" != 0
check upgrade-dkms-current sh -c "dkms status -m eekbp | grep -q '^eekbp/$UP' && ! dkms status -m eekbp | grep -q '^eekbp/$V,'"
P0=$(packets1)
traffic 2
P1=$(packets1)
check upgrade-thread-served-traffic test "${P1:-0}" -gt "$(( ${P0:-0} + 100 ))"

# purge while running: prerm stops the service, which restores the machine
check purge dpkg --purge eekbp eekbp-dkms
check purge-unloaded sh -c '! test -d /sys/module/eekbp && ! test -d /sys/module/eekbp_livepatch'
check purge-governor-restored test "$(gov1)" = "$GOV1"
check purge-irq-affinity-restored test "$(irq_aff)" = "$AFF"
check purge-no-packages sh -c '! dpkg-query -W -f="\${Status}\n" eekbp eekbp-dkms 2>/dev/null | grep -q installed'
left=$(ls -d /etc/eekbp /var/lib/eekbp /run/eekbp /var/log/eekbp /var/cache/eekbp /usr/lib/eekbp \
	/usr/bin/eekbp /usr/src/eekbp-* /var/lib/dkms/eekbp /lib/systemd/system/eekbp.service \
	/etc/systemd/system/multi-user.target.wants/eekbp.service /usr/share/doc/eekbp* \
	/lib/modules/"$KVER"/updates/dkms/eekbp* 2>/dev/null)
echo "left after purge: ${left:-nothing}"
check purge-nothing-left test -z "$left"
check purge-unit-gone sh -c '! systemctl cat eekbp >/dev/null 2>&1'
journalctl -u eekbp --no-pager >"$RESULTS/journal.txt" 2>&1
exit $rc
