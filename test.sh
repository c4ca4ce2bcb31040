#!/usr/bin/env bash
# Runs every test: the contract's lint, then every test project.
set -euo pipefail
cd "$(dirname "$0")"

scripts/lint-protos.sh
dotnet test CroydonAudit.sln --configuration Release
