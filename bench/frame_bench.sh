#!/usr/bin/env bash
# bench/frame_bench.sh [BUILD_DIR] [DATA_DIR]
#
# Frame times of the app (mentorlog --bench-frames) under Xvfb, on a device store of about
# 100k live records: the demo district plus `mentorlog-cli workload` (visits, observations,
# consultations, recommendations). For each screen: launch to the first frame, launch to the
# first frame with the screen's data, and p50 / p99 / max of 600 frames while the list scrolls
# two notches a frame (glFinish included, vsync off). Then start-up alone, five launches each of
# the app and of its peer, bench/first_frame_peer (Dear ImGui's own GLFW + OpenGL 3 example: the
# floor for any ImGui app on this renderer). Made once in DATA_DIR (default
# /tmp/mentorlog-frame-bench), reused after.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$(dirname "$here")/build}
data=${2:-/tmp/mentorlog-frame-bench}
cli="$build/app/mentorlog-cli"
app="$build/app/mentorlog"

if [ ! -f "$data/mentorlog.db" ]; then
  "$cli" --data "$data" --lang en demo > /dev/null
  "$cli" --data "$data" --lang en workload --seed 1 --ops 100000
  "$cli" --data "$data" --lang en workload --seed 2 --ops 70000
fi
total=0
for kind in schools people visits observations observation_scores consultations recommendations \
    recommendation_events deficits roadmap_items assessment_results context_indicators; do
  n=$("$cli" --data "$data" --lang en list "$kind" | tail -n1 | cut -d' ' -f1)
  total=$((total + n))
  [ "$kind" = recommendations ] && recs=$n
done
echo "# frame_bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uptime)"
echo "store: $total live records ($recs recommendations) in $data"
for size in 1280x800 390x844; do
  for screen in today recommendations school; do
    xvfb-run -a -s "-screen 0 1400x1000x24" "$app" --data "$data" --lang ru --size "$size" \
      --screen "$screen" --bench-frames 600 | sed "s/^/$size /"
  done
done
echo "start-up, 5 launches each (ms from the process's launch):"
for i in 1 2 3 4 5; do
  xvfb-run -a -s "-screen 0 1400x1000x24" "$build/bench/first_frame_peer"
  xvfb-run -a -s "-screen 0 1400x1000x24" "$app" --data "$data" --lang ru --size 1280x800 \
    --screen today --bench-frames 10 | sed "s/^/1280x800 /"
done
