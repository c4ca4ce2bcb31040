#!/usr/bin/env bash
# GradeAudit against what PostgreSQL itself can store on this machine: pgbench committing one ~2 KB row per
# transaction from 64 clients (the ceiling for single-row durable inserts), then grade at 64 callers, in turns.
# Prints both and the ratio (target: grade at least 0.6 of the ceiling).
#
#   benchmarks/ceiling.sh [ROUNDS]      default 2; knobs as ./bench.sh: BENCH_WARMUP, BENCH_DURATION
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
scenario=grade
dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
database=croydon_ceiling
# shellcheck source=turns.sh
source "$root/benchmarks/turns.sh"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg=(-h 127.0.0.1 -p "${CROYDON_PG_PORT:-55432}" -U postgres)
script="$(mktemp)"
trap 'rm -f "$script"' EXIT
cat > "$script" <<'SQL'
\set n random(1, 1000000000)
INSERT INTO ceiling (audit_id, document) VALUES ('audit-' || :n, repeat('x', 2000));
SQL

# ceiling ROUND: a fresh table, pgbench at 64 clients; prints one line.
ceiling() {
  scripts/postgres.sh recreate croydon_pgbench
  "$bin/psql" "${pg[@]}" -d croydon_pgbench -qc "CREATE TABLE ceiling (id bigserial PRIMARY KEY, audit_id text NOT NULL, document text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
  "$bin/pgbench" "${pg[@]}" -n -M prepared -c 64 -j 2 -T "${BENCH_DURATION:-20}" -f "$script" croydon_pgbench > "$results/ceiling-pgbench-$1.txt" 2>&1
  awk -v round="$1" '/^tps = / { printf "pgbench  round %s: %8.0f inserts/s (64 clients, one ~2 KB row a commit)\n", round, $3 }' "$results/ceiling-pgbench-$1.txt"
}

echo "== the ceiling (pgbench) and grade, 64 each, $rounds rounds, alternating"
for round in $(seq 1 "$rounds"); do
  ceiling "$round" | tee "$results/ceiling-line-$round.txt"
  turn grade "$round" "$root" | tee -a "$results/ceiling-line-$round.txt"
  awk '/^pgbench/ { c = $4 } /^grade/ { g = $4 } END { printf "round ratio: grade %.2f of the ceiling, %s (target 0.6)\n", g / c, (g / c >= 0.6 ? "MET" : "MISSED") }' "$results/ceiling-line-$round.txt"
done
