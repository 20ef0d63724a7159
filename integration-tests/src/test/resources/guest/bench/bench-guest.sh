#!/bin/bash
# Guest side of the eekbp benchmark: sets up the echo target, then serves
# commands the host bench writes into $RESULTS/rpc (cmd.<n> -> out.<n>,
# done.<n> holding the exit code) until "finish".
#
# Environment (harness): RESULTS KVER MODDIR EEKBP_ROOT; (bench) BENCH_NIC,
# BENCH_ECHO (static udp-echo binary), BENCH_PORT, BENCH_SERVED_CPU,
# BENCH_APP_CPU, BENCH_FWD_ADDR (the forwarding topology's VM address),
# BENCH_ECHO_RCVBUF (the echo socket's receive buffer, 0: default).
set -u
# shellcheck source=latency-trace.sh
. "$EEKBP_ROOT/integration-tests/src/test/resources/guest/bench/latency-trace.sh"
RPC=$RESULTS/rpc
SNAP=/tmp/snap
NIC=${BENCH_NIC:-eth0}
SERVED=${BENCH_SERVED_CPU:-0}
APP=${BENCH_APP_CPU:-1}
PORT=${BENCH_PORT:-7}
# The echo socket's receive buffer in bytes, 0 for the system's default
# (docs/bench/README.md, "Zero-loss throughput": what a larger one changes).
ECHO_RCVBUF=${BENCH_ECHO_RCVBUF:-0}
SYSDIR=/sys/kernel/eekbp
LPDIR=/sys/kernel/livepatch/eekbp_livepatch
SAMPLES=/tmp/bench-samples.txt
mkdir -p "$RPC" "$SNAP"

log() { echo "bench-guest: $*"; }

# Sleep without forking (a fork per poll costs real time under TCG).
mkfifo /tmp/bench-nap && exec {NAPFD}<> /tmp/bench-nap
nap() { read -r -t "$1" -u "$NAPFD" _; }

# Pin every interrupt of the NIC to the served CPU, so NAPI, threaded NAPI
# and EE-KBP all receive on the same core.
nic_irqs() {
	local dev
	dev=$(basename "$(readlink -f /sys/class/net/$NIC/device)")
	awk -v d="$dev" -v n="$NIC" '$NF ~ "^"d"-" || $NF ~ "^"n"(-|$)" \
		{ sub(":", "", $1); print $1 }' /proc/interrupts
}

pin_irqs() {
	local irq
	for irq in $NIC_IRQS; do
		echo "$SERVED" > /proc/irq/$irq/smp_affinity_list 2>/dev/null ||
			log "cannot pin irq $irq"
	done
}

# One line per second: guest time (ms), the served CPU's /proc/stat ticks
# and its current frequency (0 without cpufreq). Builtins only.
sampler() {
	local name u n s i w q sq st rest f t
	while :; do
		while read -r name u n s i w q sq st rest; do
			[ "$name" = "cpu$SERVED" ] && break
		done < /proc/stat
		f=0
		[ -r /sys/devices/system/cpu/cpu$SERVED/cpufreq/scaling_cur_freq ] &&
			read -r f < /sys/devices/system/cpu/cpu$SERVED/cpufreq/scaling_cur_freq
		t=${EPOCHREALTIME/./}
		echo "${t:0:13} $u $n $s $i $w $q $sq $st $f" >> "$SAMPLES"
		nap 1
	done
}

wait_transition() {
	local i t
	for i in $(seq 1 1200); do
		[ ! -e $LPDIR/transition ] && return 0
		read -r t < $LPDIR/transition 2>/dev/null && [ "$t" = 0 ] && return 0
		nap 0.1
	done
	log "livepatch transition still running after 120 s"
	return 1
}

unload_eekbp() {
	if [ -e $SYSDIR/enabled ]; then
		echo 0 > $SYSDIR/enabled || true
	fi
	if [ -d $LPDIR ]; then
		echo 0 > $LPDIR/enabled || return 1
		wait_transition || return 1
		for _ in $(seq 1 100); do [ -d $LPDIR ] || break; sleep 0.1; done
	fi
	if grep -q '^eekbp_livepatch ' /proc/modules; then
		rmmod eekbp_livepatch || return 1
	fi
	if grep -q '^eekbp ' /proc/modules; then
		rmmod eekbp || return 1
	fi
	return 0
}

threaded() {
	local pid
	[ -e /sys/class/net/$NIC/threaded ] || { log "no threaded NAPI"; return 1; }
	echo "$1" > /sys/class/net/$NIC/threaded || return 1
	if [ "$1" = 1 ]; then
		sleep 0.2
		for pid in $(pgrep "^napi/$NIC"); do
			taskset -pc "$SERVED" "$pid" > /dev/null
		done
	fi
}

load_eekbp() {
	local mode=$1 freq=$2
	if ! grep -q '^eekbp ' /proc/modules; then
		insmod "$MODDIR/eekbp.ko" mode="$mode" cpus="$SERVED" \
			freq_ctl="$freq" || return 1
	fi
	echo "$mode" > $SYSDIR/mode || return 1
	echo "$SERVED" > $SYSDIR/cpus || return 1
	echo "$NIC" > $SYSDIR/devices || log "devices=$NIC refused, serving all"
	echo "$freq" > $SYSDIR/freq_ctl || return 1
	# adaptive: TCG stretches packet gaps ~1000x (the profiles' scale), so
	# the spin limit is the module's maximum here, not the 50 us default
	echo "${BENCH_SPIN_MAX_US:-1000}" > $SYSDIR/spin_max_us || return 1
	if ! grep -q '^eekbp_livepatch ' /proc/modules; then
		insmod "$MODDIR/eekbp_livepatch.ko" || return 1
		wait_transition || return 1
	fi
	echo 1 > $SYSDIR/enabled || return 1
}

# Leave the frequency at max whenever EE-KBP does not control it.
freq_max() {
	local p
	for p in /sys/devices/system/cpu/cpufreq/policy*; do
		[ -w "$p/scaling_setspeed" ] || continue
		cat "$p/cpuinfo_max_freq" > "$p/scaling_setspeed"
	done
}

# The stock kernel's own tuning, off unless a peer mode asks for it:
# IRQ deferral (napi_defer_hard_irqs, gro_flush_timeout ns) and busy_read.
stock_tuning() { # <defer> <flush_ns> <busy_read_us>
	echo "$1" > /sys/class/net/$NIC/napi_defer_hard_irqs || return 1
	echo "$2" > /sys/class/net/$NIC/gro_flush_timeout || return 1
	echo "$3" > /proc/sys/net/core/busy_read || return 1
}

set_mode() {
	stock_tuning 0 0 0 || return 1
	case $1 in
	napi)       threaded 0; unload_eekbp ;;
	threaded)   unload_eekbp && threaded 1 ;;
	threaded-defer)
		unload_eekbp && threaded 1 && stock_tuning 2 20000 0 ;;
	busy-read)  threaded 0; unload_eekbp && stock_tuning 0 0 50 ;;
	kbp)        threaded 0; load_eekbp kbp 0 ;;
	eekbp)      threaded 0; load_eekbp eekbp 0 ;;
	eekbp-freq) threaded 0; load_eekbp eekbp 1 ;;
	adaptive)   threaded 0; load_eekbp adaptive 0 ;;
	adaptive-freq) threaded 0; load_eekbp adaptive 1 ;;
	*)          log "unknown mode $1"; return 2 ;;
	esac || return 1
	case $1 in
	*-freq) ;;
	*) freq_max ;;
	esac
	echo "mode=$1"
}

# Poll threads: EE-KBP's, threaded NAPI's, and the served CPU's ksoftirqd:
# pid comm utime stime voluntary involuntary run_ns (schedstat, -1 without).
threads() {
	local d comm st vol nvol k v run
	for d in /proc/[0-9]*; do
		read -r comm < "$d/comm" 2>/dev/null || continue
		case $comm in
		eekbp*|napi/*|"ksoftirqd/$SERVED") ;;
		*) continue ;;
		esac
		read -r -a st < "$d/stat" 2>/dev/null || continue
		vol=0; nvol=0
		while read -r k v; do
			case $k in
			voluntary_ctxt_switches:) vol=$v ;;
			nonvoluntary_ctxt_switches:) nvol=$v ;;
			esac
		done < "$d/status"
		run=-1
		read -r run _ < "$d/schedstat" 2>/dev/null
		echo "${d#/proc/} $comm ${st[13]} ${st[14]} $vol $nvol ${run:--1}"
	done
}

# Print a file with builtins only (no fork).
show() {
	local -a lines
	mapfile -t lines < "$1" 2>/dev/null || return 0
	printf '%s\n' "${lines[@]}"
}

# Counters at one instant into one file, /tmp/snap/<name>, sections headed
# "== <file>"; builtins only, and in tmpfs, so a snapshot costs little guest
# CPU. "finish" copies the folder into $RESULTS. With "lat", first the
# latency histograms into /tmp/snap/<name>.lat/, then emptied.
snap() {
	local p v t
	if [ "${2:-}" = lat ]; then
		mkdir -p "$SNAP/$1.lat" && lat_dump "$SNAP/$1.lat" && lat_clear || return 1
	fi
	t=${EPOCHREALTIME/./}
	{
		echo "== time"
		echo "${t:0:13}"
		echo "== softirqs"
		show /proc/softirqs
		echo "== interrupts"
		show /proc/interrupts
		echo "== stat"
		show /proc/stat
		echo "== nic_irqs"
		printf '%s\n' $NIC_IRQS
		echo "== threads"
		threads
		echo "== snmp"
		show /proc/net/snmp
		echo "== softnet_stat"
		show /proc/net/softnet_stat
		# per-queue NIC counters cost a fork: investigation profile only
		if [ "${BENCH_DIAG:-0}" = 1 ] && [ -x /usr/sbin/ethtool ]; then
			echo "== ethtool"
			/usr/sbin/ethtool -S "$NIC" 2>/dev/null
		fi
		echo "== netdev"
		for p in rx_packets rx_dropped tx_packets; do
			read -r v < /sys/class/net/$NIC/statistics/$p
			echo "$p $v"
		done
		if [ -r $SYSDIR/stats ]; then
			echo "== eekbp_stats"
			show $SYSDIR/stats
		fi
		p=/sys/devices/system/cpu/cpu$SERVED/cpufreq/stats
		if [ -r $p/time_in_state ]; then
			echo "== time_in_state"
			show $p/time_in_state
			echo "== total_trans"
			show $p/total_trans
		fi
	} > "$SNAP/$1"
	echo "snap=$1"
}

COMPETE_PIDS=()
compete() {
	case $1 in
	start)
		taskset -c "$SERVED" iperf3 -s -p 5299 > /tmp/iperf3-s.log 2>&1 &
		COMPETE_PIDS+=($!)
		nap 0.5
		taskset -c "$SERVED" iperf3 -c 127.0.0.1 -p 5299 -t 3600 \
			-b "${BENCH_COMPETE_RATE:-100M}" > /tmp/iperf3-c.log 2>&1 &
		COMPETE_PIDS+=($!)
		nap 0.5
		echo "compete=on"
		;;
	stop)
		if [ ${#COMPETE_PIDS[@]} -gt 0 ]; then
			kill "${COMPETE_PIDS[@]}" 2>/dev/null
			wait "${COMPETE_PIDS[@]}" 2>/dev/null
		fi
		COMPETE_PIDS=()
		echo "compete=off"
		;;
	esac
}

# The NIC's receive IRQs (virtio "-input.N", others "<nic>-rx-N"), else all.
# A TX-completion IRQ must not start a sample: a packet a spin catches
# after it would be timed from the TX completion.
nic_rx_irqs() {
	local dev irqs
	dev=$(basename "$(readlink -f /sys/class/net/$NIC/device)")
	irqs=$(awk -v d="$dev" -v n="$NIC" '$NF ~ "^"d"-input" || $NF ~ "^"n"-rx" \
		{ sub(":", "", $1); print $1 }' /proc/interrupts)
	echo "${irqs:-$NIC_IRQS}"
}

# The in-guest latency instrument over the NIC's RX IRQs, for one pass of cells.
lat() {
	case $1 in
	start) lat_start "$NIC" $(nic_rx_irqs) || { lat_stop; return 1; }; echo "lat=on" ;;
	stop) lat_stop; echo "lat=off" ;;
	*) log "lat: start or stop, got '$1'"; return 2 ;;
	esac
}

# The host/VM topology one level down: bridge br-fwd, a veth pair to netns
# "vm" with BENCH_FWD_ADDR and a second echo server there (application CPU),
# built once per boot (fwd_build). "fwd start" moves the NIC into the bridge
# (its address onto the bridge), so packets to the VM are received on the
# served NIC and forwarded; "fwd stop" moves it back. One ip process each.
FWD_PID=
NIC_ADDR=
fwd_build() {
	local a=${BENCH_FWD_ADDR:-198.18.0.3}
	NIC_ADDR=$(ip -4 -o addr show dev "$NIC" | awk '{ print $4; exit }')
	[ -n "$NIC_ADDR" ] || { log "fwd: $NIC has no IPv4 address"; return 1; }
	modprobe bridge && modprobe veth || { log "fwd: no bridge or veth module"; return 1; }
	# Fixed MACs: the host's ARP cache must not depend on the build, and the
	# bridge keeps the NIC's MAC whatever the veth's.
	ip link add br-fwd address "$(cat /sys/class/net/$NIC/address)" type bridge \
		stp_state 0 forward_delay 0 &&
		ip link set br-fwd up &&
		ip netns add vm &&
		ip link add vm-br address 02:ee:00:00:00:fe type veth \
			peer name eth0 address 02:ee:00:00:00:03 netns vm &&
		ip link set vm-br master br-fwd up &&
		ip -n vm link set lo up && ip -n vm link set eth0 up &&
		ip -n vm addr add "$a/${NIC_ADDR#*/}" dev eth0 || return 1
	ip netns exec vm taskset -c "$APP" "$BENCH_ECHO" "$PORT" "$ECHO_RCVBUF" > /tmp/udp-echo-vm.log 2>&1 &
	FWD_PID=$!
}

fwd_start() {
	[ -n "$FWD_PID" ] || { log "fwd: topology not built (see the setup log)"; return 1; }
	ip -batch - <<-EOF || { fwd_stop; return 1; }
		addr del $NIC_ADDR dev $NIC
		link set $NIC master br-fwd
		addr add $NIC_ADDR dev br-fwd
	EOF
	echo "fwd=on ${BENCH_FWD_ADDR:-198.18.0.3}"
}

# Undo fwd_start whatever part of it ran; the NIC gets its address back.
fwd_stop() {
	[ -n "$NIC_ADDR" ] || return 0
	ip -force -batch - <<-EOF
		addr del $NIC_ADDR dev br-fwd
		link set $NIC nomaster
		addr replace $NIC_ADDR dev $NIC
		link set $NIC up
	EOF
	ip -4 -o addr show dev "$NIC" | grep -q "${NIC_ADDR%/*}" || return 1
	echo "fwd=off"
}

info() {
	echo "kernel=$(uname -r)"
	echo "nproc=$(nproc --all)"
	echo "cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "cpufreq=$(ls /sys/devices/system/cpu/cpufreq 2>/dev/null | tr '\n' ' ')"
	echo "governor=$(cat /sys/devices/system/cpu/cpu$SERVED/cpufreq/scaling_governor 2>/dev/null)"
	echo "modules=$(ls "$MODDIR" 2>/dev/null | tr '\n' ' ')"
	echo "nic_irqs=${NIC_IRQS//$'\n'/ }"
	echo "threaded_napi=$([ -e /sys/class/net/$NIC/threaded ] && echo yes || echo no)"
	echo "powercap=$(ls /sys/class/powercap 2>/dev/null | tr '\n' ' ')"
}

handle() {
	local cmd=$1
	shift
	case $cmd in
	mode) set_mode "$@" ;;
	snap) snap "$@" ;;
	compete) compete "$@" ;;
	lat) lat "$@" ;;
	fwd)
		case ${1:-} in
		start) fwd_start ;;
		stop) fwd_stop ;;
		*) log "fwd: start or stop, got '${1:-}'"; return 2 ;;
		esac ;;
	info) info ;;
	*) log "unknown command $cmd"; return 2 ;;
	esac
}

# Setup. This script, the RPC loop and the echo server stay off the served CPU.
taskset -pc "$APP" $$ > /dev/null
# The test cpufreq driver under the userspace governor on every CPU.
if [ -e "$MODDIR/eekbp_testfreq.ko" ] && [ "${BENCH_TESTFREQ:-1}" = 1 ]; then
	modprobe cpufreq_userspace || log "no cpufreq_userspace"
	insmod "$MODDIR/eekbp_testfreq.ko" || log "eekbp_testfreq did not load"
	for g in /sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor; do
		echo userspace > "$g" || log "cannot set $g"
	done
fi
ip link set "$NIC" up
NIC_IRQS=$(nic_irqs)
pin_irqs
taskset -c "$APP" "$BENCH_ECHO" "$PORT" "$ECHO_RCVBUF" > /tmp/udp-echo.log 2>&1 &
fwd_build || log "fwd: the forwarding topology could not be built"
sampler &
SAMPLER=$!
freq_max
log "ready"
touch "$RESULTS/ready"

n=0
while :; do
	f=$RPC/cmd.$n
	if [ ! -e "$f" ]; then
		nap 0.1
		continue
	fi
	read -r -a words < "$f"
	if [ "${words[0]}" = finish ]; then
		compete stop > /dev/null
		fwd_stop > /dev/null
		[ -n "$FWD_PID" ] && kill "$FWD_PID"
		lat_stop
		unload_eekbp
		kill "$SAMPLER"
		cp "$SAMPLES" "$RESULTS/samples.txt"
		cp -r "$SNAP" "$RESULTS/snap"
		dmesg > "$RESULTS/dmesg.txt"
		echo 0 > "$RPC/done.$n.tmp"
		mv "$RPC/done.$n.tmp" "$RPC/done.$n"
		log "finished"
		exit 0
	fi
	handle "${words[@]}" > "$RPC/out.$n" 2>&1
	echo $? > "$RPC/done.$n.tmp"
	mv "$RPC/done.$n.tmp" "$RPC/done.$n"
	n=$((n + 1))
done
