#!/bin/bash
# Telemetry cost figures: JMH benchmark of the read path (with -prof gc for
# the allocation rate) and the agent's CPU share and RSS at 1 s and 100 ms
# intervals on a generated /proc + /sys + powercap tree.
# Usage: scripts/bench-telemetry.sh [seconds per cost run, default 60]
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-60}
: "${JAVA_HOME:=$("$TOP/scripts/find-jdk.sh")}"
export JAVA_HOME MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
J=$JAVA_HOME/bin/java
OUT=$TOP/build/bench-telemetry
mkdir -p "$OUT"
cd "$TOP"
mvn -B -q -Pjmh -pl agent package -DskipTests
mvn -B -q -Pjmh -pl agent test-compile dependency:build-classpath \
	-Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test
CP=agent/target/test-classes:agent/target/classes:$(cat "$OUT/classpath.txt")
"$J" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main ReadPathBenchmark \
	-prof gc -jvmArgs --enable-native-access=ALL-UNNAMED -rf json -rff "$OUT/jmh.json" \
	| tee "$OUT/jmh.txt"

TREE=$(mktemp -d /tmp/eekbp-telemetry-tree.XXXXXX)
trap 'rm -rf "$TREE"' EXIT
python3 "$TOP/scripts/telemetry-fake-tree.py" "$TREE" 2
JAR=agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar
: >"$OUT/cost.jsonl"
for iv in 1000 100; do
	"$J" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
		-cp "$JAR" dev.eekbp.agent.telemetry.TelemetryMain --interval-ms $iv --seconds "$SECS" \
		--root "$TREE" --powercap "$TREE/powercap" --ipmi off 2>/dev/null | tee -a "$OUT/cost.jsonl"
done
echo "results in $OUT (jmh.txt, jmh.json, cost.jsonl)"
