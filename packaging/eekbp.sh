#!/bin/sh
# eekbp agent launcher: the Java runtime bundled in the package, no host JDK.
# A class-data archive (written at the first clean exit) halves JVM start time.
JAVA=/usr/lib/eekbp/jre/bin/java
CDS=""
if [ -w /var/cache/eekbp ]; then
	CDS="-XX:SharedArchiveFile=/var/cache/eekbp/agent.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
# shellcheck disable=SC2086
exec "$JAVA" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -Xmx128m $CDS \
	-jar /usr/lib/eekbp/eekbp-agent.jar "$@"
