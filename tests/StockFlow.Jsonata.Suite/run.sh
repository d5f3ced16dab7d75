#!/usr/bin/env bash
# Runs every case of the JSONata test suite through `stockflow asl eval` (one process per case, niced) and writes
# bench/results/jsonata-suite.md. Not part of CI: the xunit test JsonataSuiteTests runs the same cases in-process.
# Usage: tests/StockFlow.Jsonata.Suite/run.sh [--parallel N]   (about 2-4 min on the 2-core machine)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli_project=$(find src -name StockFlow.Cli.csproj | head -n 1)
nice -n 15 dotnet build "$cli_project" -c Release -m:1 -v q -nologo
nice -n 15 dotnet build tests/StockFlow.Jsonata.Suite/StockFlow.Jsonata.Suite.csproj -c Release -m:1 -v q -nologo
nice -n 15 dotnet tests/StockFlow.Jsonata.Suite/bin/Release/net10.0/StockFlow.Jsonata.Suite.dll \
  --cli "$(dirname "$cli_project")/bin/Release/net10.0/stockflow" --out bench/results/jsonata-suite.md "$@"
