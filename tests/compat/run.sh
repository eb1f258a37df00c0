#!/usr/bin/env bash
# Runs the compat scenarios (boto3 and the AWS CLI) against a Nephele started here on a free port.
# Skips, saying so, where python3 with boto3 or the aws CLI is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! python3 -c "import boto3" 2>/dev/null || ! command -v aws >/dev/null; then
  echo "compat: skipped (needs python3 with boto3 and the aws CLI)"
  exit 0
fi
# s3cmd scenarios run when s3cmd is there: Debian packages it; pip is the fallback where Debian's is not reachable.
if ! command -v s3cmd >/dev/null; then
  { apt-get install -y -q s3cmd || { apt-get update -q && apt-get install -y -q s3cmd; } || python3 -m pip install -q s3cmd; } >/dev/null 2>&1 || true
  command -v s3cmd >/dev/null || echo "compat: s3cmd not installed; its scenarios are skipped"
fi
config="${NEPHELE_CONFIGURATION:-Debug}"
dll="$root/src/Nephele/bin/$config/net10.0/nephele.dll"
[ -f "$dll" ] || dotnet build "$root/src/Nephele" -c "$config" -v quiet >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp)
dotnet "$dll" start --port "$port" --ephemeral --log-level Warning >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  grep -q '^Ready\.$' "$log" && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "compat: Nephele did not start"; exit 1; }
  sleep 0.1
done
python3 "$root/tests/compat/compat.py" "http://127.0.0.1:$port"
