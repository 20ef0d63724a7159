# Head of the agent guest scripts (AgentGuestScript puts it in front of
# agent-lifecycle.sh and bench-peers.sh): TEST lines, metrics, waits, and
# the agent jar the test staged.
# One "TEST: name [ OK ]" / "[FAIL]" line per case; numbers go to $RESULTS/metrics.
rc=0
ok() { echo "TEST: $1 [ OK ]"; }
ko() { echo "TEST: $1 [FAIL] $2"; rc=1; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }
metric() { echo "$1=$2" >> "$RESULTS/metrics"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# wait_for SECONDS COMMAND...: poll every 50 ms (COMMAND is re-run each time,
# so it must not contain $(...) expanded by the caller)
wait_for() {
	local n=$(( $1 * 20 )); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.05; n=$((n - 1)); done
	return 1
}

JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JOPTS="--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -Xmx128m"
# The test stages the agent jar (and more) in $RESULTS, a snapshot that
# concurrent builds on the host cannot change under us. "staged" holds the
# jar's host path: the class archive agent.jsa was written for that path.
wait_for 180 test -s "$RESULTS/staged" || { echo "TEST: staged [FAIL]"; exit 1; }
JAR=$(cat "$RESULTS/staged")
AOPTS="$JOPTS"
[ -s "$RESULTS/agent.jsa" ] && AOPTS="$JOPTS -XX:SharedArchiveFile=$RESULTS/agent.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
W=/tmp/eekbp-it
