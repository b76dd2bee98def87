#!/usr/bin/env bash
# Every benchmark in one go (normalizer pipeline, Apple Health import, resolved reads), then one
# report: benchmarks/reports/report-<time>.md with a chart, copied to benchmarks/reports/latest.md.
# Each figure stands beside its floor measured in the same run. Prints figures; asserts nothing;
# never part of CI. Needs a quiet machine: anything else running skews the ratios.
#
#   benchmarks/run-all.sh              # the issues' sizes: 1 M readings, a 2 GB export, a year of reads (~60 min)
#   benchmarks/run-all.sh --quick      # smaller: 200 k readings, 0.5 GB, 30 days (~15 min)
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

QUICK=0
for arg in "$@"; do
    case $arg in
        --quick) QUICK=1 ;;
        *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
if [[ $QUICK == 1 ]]; then
    NORMALIZER_ARGS=(--readings 200000 --users 50)
    IMPORT_ARGS=(--gb 0.5 --xmx 128m)
    READ_ARGS=(--days 30 --first-day 2025-06-01 --day 2025-06-16 --concurrency 1,8 --year-requests 4,8)
else
    NORMALIZER_ARGS=()
    IMPORT_ARGS=(--gb 2 --xmx 128m)
    READ_ARGS=(--concurrency 1,8,32)
fi

if ! deploy/local/stack.sh status >/dev/null 2>&1; then
    deploy/local/stack.sh up || exit 1
fi
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "[bench] building the services and benchmarks (-Pbench, -DskipTests) ..."
    ./mvnw -q -B -Pbench -pl normalizer-service,preferences-service,file-import-service,benchmarks -am package \
        -DskipTests || exit 1
fi

STAMP=$(date +%Y%m%d-%H%M%S)
LOGS=benchmarks/target/bench-logs
REPORTS=benchmarks/reports
mkdir -p "$LOGS" "$REPORTS"
export HEALTHMESH_BENCH_FIGURES="$ROOT/$LOGS/figures-$STAMP.tsv"
rm -f "$HEALTHMESH_BENCH_FIGURES"

NOTES=()
run() {
    local name=$1; shift
    local started=$SECONDS
    echo "[bench] === $name: $*"
    if BENCH_SKIP_BUILD=1 "$@"; then
        NOTES+=("$name: \`$*\` ($((SECONDS - started)) s)")
    else
        NOTES+=("$name FAILED (exit $?): \`$*\` after $((SECONDS - started)) s; see $LOGS")
    fi
}
run "pipeline" benchmarks/run-normalizer-bench.sh "${NORMALIZER_ARGS[@]}"
run "apple import" benchmarks/run-import-bench.sh "${IMPORT_ARGS[@]}"
run "resolved reads" benchmarks/run-read-bench.sh "${READ_ARGS[@]}"

MACHINE="machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
MACHINE+=" $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1),"
MACHINE+=" commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!benchmarks/reports' || echo ' + local changes')"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
java -cp "$CP" io.healthmesh.bench.BenchReport "$HEALTHMESH_BENCH_FIGURES" "$REPORTS/report-$STAMP.md" \
    "$REPORTS/report-$STAMP.svg" "Benchmark report $(date -u +'%Y-%m-%d %H:%M UTC')$([[ $QUICK == 1 ]] && echo ' (quick sizes)')" \
    "$MACHINE" "load during the run: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-min load average at the end)" \
    "figures file: $LOGS/figures-$STAMP.tsv; each benchmark's full output: $LOGS" "${NOTES[@]}" || exit 1
sed "s/report-$STAMP.svg/latest.svg/" "$REPORTS/report-$STAMP.md" > "$REPORTS/latest.md"
cp "$REPORTS/report-$STAMP.svg" "$REPORTS/latest.svg"
echo "[bench] report: $REPORTS/report-$STAMP.md (also $REPORTS/latest.md)"
