#!/usr/bin/env bash
# bench/run_sync_benches.sh [BUILD_DIR]
#
# Runs the five sync benchmarks of bench/README.md one after another and prints their tables,
# each after the machine's name and load. BUILD_DIR (default: build-bench beside the source
# tree) must hold a Release build with MENTORLOG_BUILD_BENCH=ON:
#
#   cmake -S . -B ../build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DMENTORLOG_BUILD_TESTS=OFF
#   ninja -C ../build-bench sync_vs_pouchdb apply_bench field_link_bench first_sync_bench load_bench
#
# load_bench's PostgreSQL half needs the local PostgreSQL (scripts/pg-setup, run here when
# present) or MENTORLOG_BENCH_PG. SYNC_BENCHES="apply field" runs only some of them
# (names: pouchdb apply field first load). Output also goes to BUILD_DIR/sync-benches.log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(dirname "$here")
build=${1:-$(dirname "$source_dir")/build-bench}
bin=$build/bench
log=$build/sync-benches.log
only=${SYNC_BENCHES:-pouchdb apply field first load}

for b in sync_vs_pouchdb apply_bench field_link_bench first_sync_bench load_bench; do
  if [[ ! -x $bin/$b ]]; then
    echo "run_sync_benches.sh: $bin/$b is missing; build it first (see the top of this script)" >&2
    exit 2
  fi
done

wants() { [[ " $only " == *" $1 "* ]]; }

{
  echo "# Sync benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uptime)"
  echo
  if wants pouchdb; then
    echo "## 1. sync_vs_pouchdb"
    "$bin/sync_vs_pouchdb"
    echo
  fi
  if wants apply; then
    echo "## 2. apply_bench"
    "$bin/apply_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
    echo
  fi
  if wants field; then
    echo "## 3. field_link_bench"
    "$bin/field_link_bench" --runs 5
    echo
  fi
  if wants first; then
    echo "## 4. first_sync_bench"
    "$bin/first_sync_bench"
    echo
  fi
  if wants load; then
    echo "## 5. load_bench"
    if [[ -x $source_dir/scripts/pg-setup ]]; then
      "$source_dir/scripts/pg-setup" >&2 || echo "(pg-setup failed: the PostgreSQL half may not run)" >&2
    fi
    "$bin/load_bench"
    echo
  fi
  echo "done: $(uptime)"
} 2>&1 | tee "$log"
