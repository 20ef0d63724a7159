#!/bin/bash
# Print the JAVA_HOME of a JDK 25 or newer from /usr/lib/jvm (or $JAVA_HOME).
set -euo pipefail
want=25
ver_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 |
	sed -n 's/^ *java.specification.version = //p'; }
for h in ${JAVA_HOME:-} /usr/lib/jvm/*; do
	[ -x "$h/bin/javac" ] || continue
	v=$(ver_of "$h")
	if [ -n "$v" ] && [ "${v%%.*}" -ge $want ] 2>/dev/null; then
		echo "$h"
		exit 0
	fi
done
echo "eekbp: no JDK $want+ found under /usr/lib/jvm; install one" \
	"(e.g. temurin-25-jdk) or set JAVA_HOME" >&2
exit 1
