#!/usr/bin/env bash
# The acceptance drive of issue 12: starts `stockflow serve` on a free loopback port with a throw-away
# data directory and drives its Step Functions API with the AWS SDK for JavaScript v3 and the AWS CLI,
# checking every answer against AWS's model of the API. Results: docs/aws-api-compatibility.md.
#
#   tests/aws-drive/run.sh            # builds the CLI if needed, installs the SDK (npm ci) and the AWS CLI if missing
#   STOCKFLOW_DLL=... AWS_CLI=... tests/aws-drive/run.sh
#
# Needs node and npm (the storage tests need them too); without an `aws` command it installs Debian's
# awscli with apt-get (older: it lacks redrive-execution, test-state and validate-state-machine-definition,
# which are then skipped and said so). Ends with one line "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

dll="${STOCKFLOW_DLL:-$root/src/Local/StockFlow.Cli/bin/Release/net10.0/stockflow.dll}"
if [ ! -f "$dll" ]; then
  dotnet build "$root/src/Local/StockFlow.Cli/StockFlow.Cli.csproj" -c Release -m:1 -v q -nologo >/dev/null
fi

if [ ! -d "$here/node_modules/@aws-sdk/client-sfn" ]; then
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
fi

aws="${AWS_CLI:-$(command -v aws || true)}"
if [ -z "$aws" ] || ! "$aws" --version >/dev/null 2>&1; then
  if [ ! -x /usr/bin/aws ]; then
    echo "no working aws command: installing Debian's awscli" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
  fi
  aws=/usr/bin/aws
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Real-time Waits (the drive stops a run inside a Wait), no landing watcher, no schedules.
echo '{}' >"$work/config.json"
dotnet "$dll" serve --port 0 --data-dir "$work/data" --no-watch --config "$work/config.json" >"$work/serve.log" 2>&1 &
server=$!
endpoint=""
for _ in $(seq 1 150); do
  endpoint="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -n 1 || true)"
  [ -n "$endpoint" ] && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/serve.log" >&2; echo "stockflow serve did not start" >&2; exit 1; fi
  sleep 0.2
done
[ -n "$endpoint" ] || { cat "$work/serve.log" >&2; echo "stockflow serve did not say where it listens" >&2; exit 1; }
echo "stockflow serve on $endpoint (data: $work/data)"

status=0
started=$SECONDS
node --no-warnings "$here/sdk.mjs" "$endpoint" | tee "$work/sdk.out" || status=1
echo "sdk drive: $((SECONDS - started)) s"
started=$SECONDS
node --no-warnings "$here/cli.mjs" "$endpoint" "$aws" | tee "$work/cli.out" || status=1
echo "cli drive: $((SECONDS - started)) s"

passed=0; failed=0; skipped=0
for out in "$work/sdk.out" "$work/cli.out"; do
  line="$(grep -E '^(sdk|cli): [0-9]+ passed' "$out" | tail -n 1 || true)"
  if [ -z "$line" ]; then failed=$((failed + 1)); continue; fi
  p="$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")"; passed=$((passed + p))
  f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")"; failed=$((failed + f))
  s="$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")"; skipped=$((skipped + s))
done
echo "aws-drive: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] || status=1
exit "$status"
