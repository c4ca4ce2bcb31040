#!/usr/bin/env bash
# buf lint with every STANDARD rule over protos/ (buf from npm, @bufbuild/buf).
set -euo pipefail
cd "$(dirname "$0")/../protos"
npx --yes @bufbuild/buf@1.75.0 lint
echo "protos: buf lint passed"
