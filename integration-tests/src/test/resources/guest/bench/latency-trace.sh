# In-guest latency instrument (sourced), the same for every receive mode:
# ftrace histogram triggers on the kernel's own events, keyed by CPU, on
# the guest's clock (microseconds).
#   irq2rx    hardIRQ of a NIC queue -> the first packet a poll hands to the
#             stack on that CPU (net:napi_gro_receive_entry of the NIC)
#   irq2sock  hardIRQ -> the first UDP datagram queued to a socket on that
#             CPU (kprobe on __udp_enqueue_schedule_skb)
# A hist variable is read once, so only the first event after each hardIRQ
# counts. The poll must run on the IRQ's CPU: pin the IRQs, threaded NAPI's
# threads and the served CPU's EE-KBP thread to one CPU. A busy-polling
# socket takes packets without a hardIRQ: those are not measured.
#
# lat_start <ifname> <irq...>   lat_dump <dir>   lat_clear   lat_stop
LAT_T=/sys/kernel/tracing
LAT_TRIGGERS=()

lat_add() { # <event dir> <trigger>
	echo "$2" >>"$LAT_T/events/$1/trigger" || return 1
	LAT_TRIGGERS+=("$1|$2")
}

lat_start() {
	local nic=$1 f="" irq
	shift
	for irq in "$@"; do f="${f:+$f || }irq == $irq"; done
	[ -n "$f" ] || return 1
	[ -d $LAT_T/events ] || mount -t tracefs nodev $LAT_T || return 1
	echo 'eekbp_irq2rx u64 lat' >>$LAT_T/synthetic_events || return 1
	echo 'eekbp_irq2sock u64 lat' >>$LAT_T/synthetic_events || return 1
	echo 'p:eekbp_udpq __udp_enqueue_schedule_skb' >>$LAT_T/kprobe_events || return 1
	lat_add synthetic/eekbp_irq2rx 'hist:keys=lat:sort=lat:size=8192' &&
		lat_add synthetic/eekbp_irq2sock 'hist:keys=lat:sort=lat:size=8192' &&
		lat_add irq/irq_handler_entry \
			"hist:keys=common_cpu:t_rx=common_timestamp.usecs,t_sk=common_timestamp.usecs if $f" &&
		lat_add net/napi_gro_receive_entry \
			"hist:keys=common_cpu:d_rx=common_timestamp.usecs-\$t_rx:onmatch(irq.irq_handler_entry).trace(eekbp_irq2rx,\$d_rx) if name == \"$nic\"" &&
		lat_add kprobes/eekbp_udpq \
			'hist:keys=common_cpu:d_sk=common_timestamp.usecs-$t_sk:onmatch(irq.irq_handler_entry).trace(eekbp_irq2sock,$d_sk)'
}

# Each histogram as "<lat_us> <count>" lines: <dir>/irq2rx, <dir>/irq2sock.
lat_dump() {
	local n
	for n in irq2rx irq2sock; do
		awk '$1 == "{" && $2 == "lat:" && $5 == "hitcount:" { print $3, $6 }' \
			"$LAT_T/events/synthetic/eekbp_$n/hist" >"$1/$n"
	done
}

# Empty both histograms, triggers kept (between the cells of one pass).
lat_clear() {
	local n
	for n in irq2rx irq2sock; do
		echo 'hist:keys=lat:sort=lat:size=8192:clear' \
			>>"$LAT_T/events/synthetic/eekbp_$n/trigger" || return 1
	done
}

# Remove the triggers newest first, then the events; quiet and complete.
lat_stop() {
	local i t
	for ((i = ${#LAT_TRIGGERS[@]} - 1; i >= 0; i--)); do
		t=${LAT_TRIGGERS[i]}
		echo "!${t#*|}" >>"$LAT_T/events/${t%%|*}/trigger" 2>/dev/null
	done
	LAT_TRIGGERS=()
	echo '-:eekbp_udpq' >>$LAT_T/kprobe_events 2>/dev/null
	echo '!eekbp_irq2sock u64 lat' >>$LAT_T/synthetic_events 2>/dev/null
	echo '!eekbp_irq2rx u64 lat' >>$LAT_T/synthetic_events 2>/dev/null
	return 0
}
