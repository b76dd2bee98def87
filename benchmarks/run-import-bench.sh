#!/usr/bin/env bash
# Apple Health import benchmark: builds what it needs, makes sure the local stack answers, and runs
# io.healthmesh.bench.ImportBench (parse + map against a bare Aalto scan, the service's publish rate
# against a plain Kafka producer, export.zip against export.xml, the service's RSS during an import).
# Prints figures; asserts nothing; never part of CI.
#
#   benchmarks/run-import-bench.sh                    # a 2 GB export.xml (~15 min the first time, with generation)
#   benchmarks/run-import-bench.sh --gb 0.2           # any ImportBench option (--help)
#   benchmarks/run-import-bench.sh --xmx 256m         # the service with a fixed heap instead of the JVM default
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS (-Xmx1g) for the bench JVM.
# The output is also written to benchmarks/target/bench-logs/import-<time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

for arg in "$@"; do
    if [[ $arg == --help || $arg == -h ]]; then
        if [[ -f benchmarks/target/classpath.txt ]]; then
            exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.healthmesh.bench.ImportBench --help
        fi
        sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
        echo "(build once for the full option list: ./mvnw -Pbench -pl file-import-service,benchmarks -am package -DskipTests)"
        exit 0
    fi
done

answers() { # host port
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}
eval "$(deploy/local/stack.sh env)"
# The stack may run from another checkout (its state lives there): answering ports are enough.
if ! answers "${PGHOST}" "${PGPORT}" || ! answers "${KAFKA_BOOTSTRAP_SERVERS%:*}" "${KAFKA_BOOTSTRAP_SERVERS##*:}"; then
    echo "[bench] local stack not answering: deploy/local/stack.sh up"
    deploy/local/stack.sh up
    eval "$(deploy/local/stack.sh env)"
fi

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "[bench] building file-import-service and benchmarks (-Pbench, -DskipTests) ..."
    ./mvnw -q -o -B -Pbench -pl file-import-service,benchmarks -am package -DskipTests
fi
[[ -f file-import-service/target/quarkus-app/quarkus-run.jar && -f benchmarks/target/classpath.txt ]] ||
    { echo "[bench] nothing built: run without BENCH_SKIP_BUILD=1" >&2; exit 1; }

# A private copy of the packaged service, so a rebuild in the work tree during the run cannot swap
# the jar under the running service.
APP=benchmarks/target/import-app
rm -rf "$APP"
cp -a file-import-service/target/quarkus-app "$APP"

LOGS=benchmarks/target/bench-logs
mkdir -p "$LOGS"
OUT="$LOGS/import-$(date +%Y%m%d-%H%M%S).txt"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xmx1g} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" io.healthmesh.bench.ImportBench \
    --jar "$APP/quarkus-run.jar" --log-dir "$LOGS" "$@" 2>&1 | tee -i "$OUT"
status=${PIPESTATUS[0]}
echo "[bench] output saved to $OUT"
exit "$status"
