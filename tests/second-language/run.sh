#!/usr/bin/env bash
# tests/second-language/run.sh COMMON_PROTOS WELL_KNOWN_PROTOS TARGET TOKEN
# Generates Python from protos/ and the google/api and google/rpc protos it uses (COMMON_PROTOS: the
# Google.Api.CommonProtos package's protos, which the C# build depends on; WELL_KNOWN_PROTOS: google/protobuf's, from
# Grpc.Tools) with Debian's protoc, then runs bad_request.py with Debian's python3, grpcio and protobuf (./test.sh installs them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
protoc -I "$root/protos" -I "$1" -I "$2" --python_out="$out" \
  "$root"/protos/croydon/audit/v1/*.proto "$1"/google/api/{annotations,http}.proto \
  "$1/google/rpc/status.proto" "$1/google/rpc/error_details.proto"
/usr/bin/python3 "$here/bad_request.py" "$out" "$3" "$4"
