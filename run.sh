#!/usr/bin/env bash
# ./run.sh                  starts the service: gRPC on 127.0.0.1:5000 (ASPNETCORE_URLS overrides it), and REST/JSON,
#                           the OpenAPI document and metrics on 127.0.0.1:5001 (Pages__Url). Ctrl-C stops it.
# ./run.sh rules check [DIR|VERSION] | propose DIR | approve VERSION | activate VERSION | history | impact DIR|VERSION
#         | diff A B | regrade
#                           the principal social worker's commands (rules/README.md); exit 0 only on success. All but
#                           checking or comparing folders call the running service as the person whose token is in
#                           CROYDON_AUDIT_TOKEN, at CROYDON_AUDIT_ADDRESS (default: where ./run.sh serves gRPC).
# ./run.sh token --role ROLE [--role ROLE ...] [--team T] [--name N] [--minutes M]
#                           prints a bearer token for the service ./run.sh starts, and nothing else.
# ./run.sh store seed [--revisions N] [DIR]
#                           for benchmarks and trying things at size: fills the database with N made-up revisions
#                           copied from DIR's worked cases (default 1,000,000, about two minutes a million).
# Without Auth__Authority it asks for local mode (Auth__Mode=Local, environment "Local"): the service accepts only
# tokens signed by .data/local-signing-key (git-ignored, made on first use), which `token` signs with.
# Without ConnectionStrings__Audit it sets up its own PostgreSQL under .data/ (scripts/postgres.sh) and
# leaves that running for next time; with it, it uses that database only. The rules commands need no database.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"

database() {
  if [ -z "${ConnectionStrings__Audit:-}" ]; then
    "$root/scripts/postgres.sh" start
    # As deployed: the service as a role granted only what it uses, migrations as the tables' owner.
    export ConnectionStrings__Audit="$("$root/scripts/postgres.sh" service-url)"
    export ConnectionStrings__AuditOwner="$("$root/scripts/postgres.sh" owner-url)"
  fi
}

# Builds a project only when a source it may depend on is newer than its last build: a find over src/ and protos/
# takes milliseconds, dotnet build 15 s and more even with nothing to do. It says something only if the build fails.
build_if_changed() {
  local project="$1" built="$2"
  if [ -f "$built" ] && [ -z "$(find "$root/src" "$root/protos" "$root"/Directory.*.props "$root/global.json" \
      \( -name bin -o -name obj -o -name node_modules \) -prune -o -newer "$built" -type f -print -quit)" ]; then
    return 0
  fi
  local output
  if ! output="$(dotnet build "$project" --configuration Release -nologo -v quiet 2>&1)"; then
    echo "$output" >&2
    exit 2
  fi
  touch "$built"
}

export Grading__RulesPath="${Grading__RulesPath:-$root/rules}"
export Auth__LocalSigningKeyPath="${Auth__LocalSigningKeyPath:-$root/.data/local-signing-key}"
if [ -z "${Auth__Authority:-}" ]; then
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Local}" Auth__Mode="${Auth__Mode:-Local}"
fi

case "${1:-}" in
  rules|token|store)
    # Only the seeder reaches the database itself; the rules commands call the running service.
    [ "$1" != store ] || database >&2
    # Standard output is the command's own: the build says something only when it fails, on standard error.
    build_if_changed "$root/src/CroydonAudit.Cli" "$root/src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll"
    exec dotnet "$root/src/CroydonAudit.Cli/bin/Release/net10.0/croydon-audit.dll" "$@"
    ;;
esac

cd "$root"
database
out="$root/src/CroydonAudit.Api/bin/Release/net10.0"
build_if_changed src/CroydonAudit.Api "$out/CroydonAudit.Api.dll"
exec dotnet "$out/CroydonAudit.Api.dll" --contentRoot "$out"
