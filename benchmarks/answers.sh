#!/usr/bin/env bash
# Grading an audit sent as answers to the template's questions against the same audit sent as typed fields, in one
# run: the two scenarios take turns on the built service, a fresh database each turn, so a slow spell falls on both.
#
#   benchmarks/answers.sh [ROUNDS]     default 3
#
# Prints calls/s and p99 per turn and the answers' mean as a share of the typed fields' (target: within 5%).
# Knobs as ./bench.sh: BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_DURATION.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
database=croydon_answers
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"

echo "== grade (typed fields) and grade-answers (answers), $rounds rounds, alternating"
lines=()
for round in $(seq 1 "$rounds"); do
  # Which goes first alternates too: a run's speed drifts.
  order=(grade grade-answers); [ $((round % 2)) = 0 ] && order=(grade-answers grade)
  for scenario in "${order[@]}"; do
    line="$(turn "$scenario" "$round" "$root")"
    echo "$line"
    lines+=("$line")
  done
done
printf '%s\n' "${lines[@]}" | awk '
  { sum[$1] += $4; n[$1]++ }
  END {
    typed = sum["grade"] / n["grade"]; answers = sum["grade-answers"] / n["grade-answers"]
    share = 100 * answers / typed
    printf "typed fields %.0f calls/s, answers %.0f calls/s: %.1f%% — %s\n", typed, answers, share, (share >= 95 ? "MET" : "MISSED")
  }'
