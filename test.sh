#!/usr/bin/env bash
# Runs every test: the contract's lint, the unit tests, and the functional and store tests against
# a real PostgreSQL (its own under .data/ unless ConnectionStrings__Audit names one; each test
# class makes a fresh database of its own there).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"

scripts/lint-protos.sh

if [ -z "${ConnectionStrings__Audit:-}" ]; then
  scripts/postgres.sh start
  export ConnectionStrings__Audit="$(scripts/postgres.sh url)"
  # Lets the restart test restart this private cluster; it is skipped for a database it does not own.
  export CROYDON_TEST_POSTGRES_CTL="$root/scripts/postgres.sh"
fi

dotnet test CroydonAudit.sln --configuration Release
