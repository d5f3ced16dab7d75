#!/usr/bin/env bash
# Whole-pipeline benchmark from landing CSVs (issue #10): `stockflow run --provider csv --source <N symbols x Y years>`
# as a user runs it, timed as a whole process (wall, CPU, peak RSS) in a fresh data directory each time.
# With a baseline git ref, that ref's CLI is built too and the two alternate (A/B in the same run: this machine's
# speed drifts within minutes, so only same-run comparisons mean anything).
# Usage: bench/market-scale/landing.sh [symbols=500] [years=10] [reps=3] [baseline-ref]
# Writes bench/results/market-landing-<symbols>x<years>.md
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-500}"; years="${2:-10}"; reps="${3:-3}"; baseline="${4:-}"
work="${STOCKFLOW_BENCH_WORK:-/tmp/stockflow-market-landing}"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"; [ -n "$baseline" ] && git worktree remove --force "$work-baseline" 2>/dev/null || true' EXIT
dotnet build -c Release src/Local/StockFlow.Cli >/dev/null
dotnet build -c Release bench/StockFlow.Bench.Data >/dev/null
clis=("current=$PWD/src/Local/StockFlow.Cli/bin/Release/net10.0/stockflow.dll")
if [ -n "$baseline" ]; then
  git worktree remove --force "$work-baseline" 2>/dev/null || true
  git worktree add --detach "$work-baseline" "$baseline" >/dev/null 2>&1
  # A baseline from before the folder move (issue 14) has the CLI at src/StockFlow.Cli.
  baseline_cli="$work-baseline/src/Local/StockFlow.Cli"
  [ -d "$baseline_cli" ] || baseline_cli="$work-baseline/src/StockFlow.Cli"
  dotnet build -c Release "$baseline_cli" >/dev/null
  clis=("baseline=$baseline_cli/bin/Release/net10.0/stockflow.dll" "${clis[@]}")
fi
read -r rows bytes from to < <(dotnet bench/StockFlow.Bench.Data/bin/Release/net10.0/StockFlow.Bench.Data.dll write-landing "$work/landing" "$n" "$years" | awk '{print $1, $3, $5, $6}')

runs="$work/runs.txt"; : > "$runs"
for rep in $(seq 1 "$reps"); do
  order=("${clis[@]}")
  if [ $((rep % 2)) -eq 0 ] && [ "${#clis[@]}" -eq 2 ]; then order=("${clis[1]}" "${clis[0]}"); fi
  for entry in "${order[@]}"; do
    label="${entry%%=*}"; dll="${entry#*=}"
    rm -rf "$work/data"
    load=$(cut -d' ' -f1 /proc/loadavg)
    if /usr/bin/time -f '%e %U %S %M' -o "$work/time" dotnet "$dll" run --provider csv --source "$work/landing" \
        --from "$from" --to "$to" --data-dir "$work/data" > "$work/$label.log" 2>&1; then status=ok; else status=FAILED; fi
    read -r wall user sys rss < "$work/time"
    echo "$label $rep $wall $(echo "$user + $sys" | bc) $((rss / 1024)) $load $status" >> "$runs"
    grep -E '^  ok ' "$work/$label.log" | grep -v ' 0\.0 s' | sed 's/^/    /' > "$work/$label.states" || true
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
out="bench/results/market-landing-${n}x${years}.md"
{
  echo "# Whole pipeline from landing CSVs: $n symbols x $years years"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; \`bench/market-scale/landing.sh $*\`."
  echo "$rows rows in $n landing CSVs ($((bytes / 1024 / 1024)) MiB), $from .. $to; each run in a fresh data directory;"
  echo "DuckDB memory limit: the configured default (Pipeline:DuckDbMemoryLimit, 2GB)."
  echo
  echo "| build | rep | wall (s) | CPU (s) | peak RSS (MiB) | load average at start | status |"
  echo "|---|---|---|---|---|---|---|"
  awk '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$runs"
  echo
  for entry in "${clis[@]}"; do
    label="${entry%%=*}"
    echo "- $label: median wall $(awk -v l="$label" '$1 == l {print $3}' "$runs" | median) s, median CPU $(awk -v l="$label" '$1 == l {print $4}' "$runs" | median) s, largest peak RSS $(awk -v l="$label" '$1 == l {print $5}' "$runs" | sort -n | tail -1) MiB"
  done
  for entry in "${clis[@]}"; do
    label="${entry%%=*}"
    echo; echo "Time per state, last $label run:"; echo; echo '```'; cat "$work/$label.states"; echo '```'
  done
} > "$out"
cat "$out"
