#!/usr/bin/env bash
# Normalizer throughput benchmark: builds what it needs, makes sure the local stack runs, and runs
# io.healthmesh.bench.NormalizerBench. Prints figures; asserts nothing; never part of CI.
#
#   benchmarks/run-normalizer-bench.sh                       # N = 1,000,000 readings, 100 users
#   benchmarks/run-normalizer-bench.sh --readings 200000     # any NormalizerBench option (--help)
#   benchmarks/run-normalizer-bench.sh --prop mp.messaging.incoming.raw-events.partitions=2
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS (-Xmx1g) for the bench JVM.
# The output is also written to benchmarks/target/bench-logs/run-<time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if ! deploy/local/stack.sh status >/dev/null 2>&1; then
    echo "[bench] local stack not running: deploy/local/stack.sh up"
    deploy/local/stack.sh up
fi
eval "$(deploy/local/stack.sh env)"

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "[bench] building normalizer-service and benchmarks (-Pbench, -DskipTests) ..."
    ./mvnw -q -B -Pbench -pl normalizer-service,benchmarks -am package -DskipTests
fi
[[ -f normalizer-service/target/quarkus-app/quarkus-run.jar && -f benchmarks/target/classpath.txt ]] ||
    { echo "[bench] nothing built: run without BENCH_SKIP_BUILD=1" >&2; exit 1; }

# A private copy of the packaged normalizer, so a rebuild in the work tree during the run cannot
# swap the jar under the running service.
APP=benchmarks/target/normalizer-app
rm -rf "$APP"
cp -a normalizer-service/target/quarkus-app "$APP"

LOGS=benchmarks/target/bench-logs
mkdir -p "$LOGS"
OUT="$LOGS/run-$(date +%Y%m%d-%H%M%S).txt"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xmx1g} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" io.healthmesh.bench.NormalizerBench \
    --jar "$APP/quarkus-run.jar" --log-dir "$LOGS" "$@" 2>&1 | tee -i "$OUT"
status=${PIPESTATUS[0]}
echo "[bench] output saved to $OUT"
exit "$status"
