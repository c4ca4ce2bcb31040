#!/usr/bin/env bash
# Starts the service on 127.0.0.1:5000 (ASPNETCORE_URLS overrides it). Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"

export Grading__RulesPath="${Grading__RulesPath:-$root/rules}"
exec dotnet run --project src/CroydonAudit.Api --configuration Release --no-launch-profile
