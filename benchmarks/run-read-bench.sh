#!/usr/bin/env bash
# Read latency benchmark: builds what it needs, makes sure the local stack runs, and runs
# io.healthmesh.bench.ReadBench (normalizer metric reads, view=resolved against view=all and the
# SQL floor). Prints figures; asserts nothing; never part of CI.
#
#   benchmarks/run-read-bench.sh                              # a year of minute data, all reads (~25 min)
#   benchmarks/run-read-bench.sh --reads day-hr,day-steps     # any ReadBench option (--help)
#   benchmarks/run-read-bench.sh --days 60 --reads year-steps --year-requests 4,8,16
#   benchmarks/run-read-bench.sh --jfr                        # and where the normalizer's and preferences' CPU went
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS (-Xmx1g) for the bench JVM.
# The output is also written to benchmarks/target/bench-logs/read-<time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if ! deploy/local/stack.sh status >/dev/null 2>&1; then
    echo "[bench] local stack not running: deploy/local/stack.sh up"
    deploy/local/stack.sh up
fi
eval "$(deploy/local/stack.sh env)"

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "[bench] building normalizer-service, preferences-service and benchmarks (-Pbench, -DskipTests) ..."
    ./mvnw -q -B -Pbench -pl normalizer-service,preferences-service,benchmarks -am package -DskipTests
fi
for jar in normalizer-service/target/quarkus-app/quarkus-run.jar preferences-service/target/quarkus-app/quarkus-run.jar \
    benchmarks/target/classpath.txt; do
    [[ -f $jar ]] || { echo "[bench] $jar missing: run without BENCH_SKIP_BUILD=1" >&2; exit 1; }
done

# Private copies of the packaged services, so a rebuild in the work tree during the run cannot
# swap a jar under a running service.
APPS=benchmarks/target/read-bench-apps
rm -rf "$APPS"
mkdir -p "$APPS"
cp -a normalizer-service/target/quarkus-app "$APPS/normalizer"
cp -a preferences-service/target/quarkus-app "$APPS/preferences"

LOGS=benchmarks/target/bench-logs
mkdir -p "$LOGS"
OUT="$LOGS/read-$(date +%Y%m%d-%H%M%S).txt"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xmx1g} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" io.healthmesh.bench.ReadBench \
    --normalizer-jar "$APPS/normalizer/quarkus-run.jar" --preferences-jar "$APPS/preferences/quarkus-run.jar" \
    --log-dir "$LOGS" "$@" 2>&1 | tee -i "$OUT"
status=${PIPESTATUS[0]}
echo "[bench] output saved to $OUT"
exit "$status"
