#!/usr/bin/env python3
"""Generate a fake /proc + /sys + powercap tree for telemetry cost runs."""
import os, struct, sys, shutil
root = sys.argv[1]
cpus = int(sys.argv[2]) if len(sys.argv) > 2 else 2
def w(p, s):
    p = os.path.join(root, p); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb' if isinstance(s, bytes) else 'w').write(s)
shutil.rmtree(root, ignore_errors=True)
w('proc/interrupts', open('/proc/interrupts').read())
w('proc/softirqs', open('/proc/softirqs').read())
for i in range(cpus):
    pid = 100 + i
    w(f'proc/{pid}/comm', f'eekbp/{i}\n')
    w(f'proc/{pid}/stat', f'{pid} (eekbp/{i}) S 2 0 0 0 -1 2129984 0 0 0 0 12 345 0 0 20 0 1 0 190 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 {i} 0 0 0 0 0 0 0 0 0 0 0 0 0\n')
    c = f'sys/devices/system/cpu/cpu{i}'
    w(f'{c}/cpufreq/scaling_cur_freq', '2400000\n')
    w(f'{c}/cpufreq/stats/total_trans', '17\n')
    w(f'{c}/cpufreq/stats/time_in_state', ''.join(f'{f} {f // 1000}\n' for f in (800000, 1200000, 1600000, 2000000, 2400000)))
    for s, n in enumerate(('POLL', 'C1', 'C1E', 'C6')):
        w(f'{c}/cpuidle/state{s}/name', n + '\n'); w(f'{c}/cpuidle/state{s}/time', '123456\n'); w(f'{c}/cpuidle/state{s}/usage', '789\n')
w('sys/class/net/eth0/device/irq', '0\n')
rec = struct.pack('<II9Q', 0, 1, *range(9)) + bytes(512)
hdr = struct.pack('<IHHII', 0x50424b45, 1, cpus, len(rec), 32)
w('sys/kernel/eekbp/stats.bin', hdr + rec * cpus)
for pkg in range(2):
    for sub, name in ((None, f'package-{pkg}'), (0, 'core'), (1, 'dram')):
        z = f'powercap/intel-rapl:{pkg}' + ('' if sub is None else f':{sub}')
        w(f'{z}/name', name + '\n'); w(f'{z}/max_energy_range_uj', '262143328850\n'); w(f'{z}/energy_uj', '123456789\n')
