#!/usr/bin/env bash
# Runs every test: the contract's lint and breaking-change check, the shipped rules' own check (their worked cases), the unit
# tests, the functional and store tests against a real PostgreSQL (a cluster of the tests' own under
# .data/ unless ConnectionStrings__Audit names one; each test class makes a fresh database of its own
# there), and the proof that a legitimate policy change leaves all of that green.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"

scripts/lint-protos.sh

# Debian packages the tests need, installed when missing: WHY, then the packages.
install_packages() {
  local why="$1"
  shift
  echo "test.sh: installing $* for $why" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# The Python client of the conformance tests (tests/clients) uses Debian's python3 with grpcio and protobuf, and protoc.
if ! command -v protoc >/dev/null || ! /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null; then
  install_packages "the Python client's conformance test" python3-grpcio python3-protobuf protobuf-compiler
fi

# The pages' browser tests drive Debian's Chromium through Playwright (Playwright's own browser download cannot
# run here); the tests look for it at /usr/bin/chromium.
if [ ! -x /usr/bin/chromium ]; then
  install_packages "the pages' browser tests" chromium
fi

if [ -z "${ConnectionStrings__Audit:-}" ]; then
  # A cluster of the tests' own, never the one ./run.sh serves from: the restart test restarts it.
  export CROYDON_PG_PORT="${CROYDON_TEST_PG_PORT:-55433}" CROYDON_PG_DATA="$root/.data/postgres-test"
  scripts/postgres.sh start
  export ConnectionStrings__Audit="$(scripts/postgres.sh url)"
  # Lets the restart test restart this private cluster; with a database it does not own, the test fails saying why.
  export CROYDON_TEST_POSTGRES_CTL="$root/scripts/postgres.sh"
fi

dotnet build CroydonAudit.sln --configuration Release -nologo -v quiet
# The shipped rules are tested by their worked cases: one report, as the principal social worker sees it.
dotnet src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll rules check rules
dotnet test CroydonAudit.sln --configuration Release --no-build

# The container image, where a builder is available (CI with Docker); elsewhere the Dockerfile, compose.yaml and the
# Kubernetes manifests are checked by the functional tests (Deployment/) instead.
if [ -z "${CROYDON_POLICY_CHANGE_PROOF:-}" ] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker build --quiet --tag croydon-audit:test "$root" >/dev/null
  echo "test.sh: the container image builds (croydon-audit:test)"
fi

if [ -z "${CROYDON_POLICY_CHANGE_PROOF:-}" ]; then
  tests/policy-change/prove.sh
fi
