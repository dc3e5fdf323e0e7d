#!/usr/bin/env bash
# bench/pouchdb/run.sh INPUT.jsonl [replicate.js options, e.g. --batch-size 500]
#
# Installs the harness from package-lock.json if needed, starts server.js on a free port
# with a temporary data dir, runs replicate.js and prints its one JSON line on stdout.
# Server stderr goes to our stderr. Cleans up after itself.
# BENCH_SERVER_ARGS (optional, word-split) is passed to server.js, e.g.
#   BENCH_SERVER_ARGS="--no-compression --mode minimumForPouchDB" run.sh in.jsonl
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 INPUT.jsonl [--batch-size N]" >&2
  exit 2
fi
input=$1
shift
if [[ ! -f $input ]]; then
  echo "run.sh: no such input file: $input" >&2
  exit 2
fi
input=$(cd "$(dirname "$input")" && pwd)/$(basename "$input")

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

if [[ ! -d node_modules ]]; then
  # stdout is reserved for the JSON result.
  npm ci --no-audit --no-fund >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mentorlog-pouchdb-bench.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkfifo "$tmp/ready"
# --port 0: the kernel picks a free port, and the ready line names it (no race).
# shellcheck disable=SC2086 # word splitting of BENCH_SERVER_ARGS is wanted
node server.js --port 0 --data "$tmp/server" ${BENCH_SERVER_ARGS:-} >"$tmp/ready" &
server_pid=$!

# Wait (at most 60 s) for "listening on 127.0.0.1:P".
exec 3<"$tmp/ready"
port=""
while IFS= read -r -t 60 line <&3; do
  if [[ $line =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
done
if [[ -z $port ]]; then
  echo "run.sh: server did not become ready" >&2
  exit 1
fi
# Keep draining the server's stdout so it can never block on a full pipe.
cat <&3 >/dev/null &
exec 3<&-

node replicate.js --server "http://127.0.0.1:$port" --db bench --input "$input" --work "$tmp/client" "$@"
