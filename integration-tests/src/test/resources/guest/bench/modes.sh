# Receive-mode switch for the in-guest scenarios (sourced after
# kernel/lib.sh): eth0 served on CPU 0, threaded NAPI's threads pinned there.
# set_mode napi|threaded|eekbp|eekbp-fifo|adaptive|kbp

threaded_napi() { # <0|1>
	local pid
	echo "$1" >/sys/class/net/eth0/threaded || return 1
	[ "$1" = 1 ] || return 0
	snooze 0.2
	for pid in $(pgrep '^napi/eth0'); do taskset -pc 0 "$pid" >/dev/null; done
}

set_mode() {
	case $1 in
	napi) threaded_napi 0 && { [ ! -d $S ] || unload; } ;;
	threaded) { [ ! -d $S ] || unload; } && threaded_napi 1 ;;
	*)
		threaded_napi 0 || return 1
		[ -d $S ] || load cpus=0 || return 1
		echo eth0 >$S/devices || return 1
		case $1 in
		eekbp-fifo) echo eekbp >$S/mode && echo fifo:50 >$S/sched ;;
		*) echo "$1" >$S/mode && echo other >$S/sched ;;
		esac || return 1
		echo 1 >$S/enabled
		;;
	esac
}
