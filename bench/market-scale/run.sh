#!/usr/bin/env bash
# Market-scale benchmark (issue #10): `stockflow run` over N synthetic symbols for the last month, then the
# next day's incremental run of the same symbols, each timed as a whole process (wall, CPU, peak RSS), with the
# parent execution's event count and its largest event read from the history. Writes
# bench/results/market-scale.md. Usage: bench/market-scale/run.sh [symbols=10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-10000}"
work="$(mktemp -d /tmp/stockflow-market-XXXXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Local/StockFlow.Cli >/dev/null
cli=src/Local/StockFlow.Cli/bin/Release/net10.0/stockflow
python3 - "$n" > "$work/symbols.txt" <<'PY'
import itertools, string, sys
n = int(sys.argv[1])
for s in itertools.islice(itertools.product(string.ascii_uppercase, repeat=4), n):
    print("".join(s))
PY
last=$(python3 -c 'import datetime as d; t=d.date.today()-d.timedelta(days=1)
while t.weekday()>4: t-=d.timedelta(days=1)
print(t)')
prev=$(python3 -c "import datetime as d; t=d.date.fromisoformat('$last')-d.timedelta(days=1)
while t.weekday()>4: t-=d.timedelta(days=1)
print(t)")
from=$(python3 -c "import datetime as d; print(d.date.fromisoformat('$last')-d.timedelta(days=30))")

measure() { # label, args...
  local label="$1"; shift
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$cli" run --data-dir "$work/data" "$@" > "$work/$label.log" 2>&1
  read -r wall user sys rss < "$work/time"
  local exec; exec=$(grep -o 'run-[0-9]*-[0-9]*-[0-9a-f]*' "$work/$label.log" | head -1)
  local events; events=$(sqlite3 "$work/data/executions.db" "select count(*), max(length(details)) from events e join executions x on x.execution_arn = e.execution_arn where x.name = '$exec'" 2>/dev/null || echo "?|?")
  printf '| %s | %s s | %.1f s | %d MiB | %s | %s | %s |\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "${events%%|*}" "${events##*|}" "$load"
  grep -E '^  ok ' "$work/$label.log" | sed 's/^/    /' > "$work/$label.states"
  # Where the transform's time went (the local Glue job's LocalStatistics.StageSeconds in the history).
  sqlite3 "$work/data/executions.db" "select e.details from events e join executions x on x.execution_arn = e.execution_arn where x.name = '$exec' and e.details like '%StageSeconds%'" 2>/dev/null \
    | python3 -c 'import json,sys,re
for line in sys.stdin:
    m = re.search(r"StageSeconds\\u0022:(\{[^}]*\})", line) or re.search(r"\"StageSeconds\":(\{[^}]*\})", line)
    if m: print("    transform stages (s): " + json.dumps(json.loads(m.group(1).replace("\\u0022", "\""))))' >> "$work/$label.states" || true
}

{
  echo "# Market scale: $n symbols through the whole state machine"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; \`bench/market-scale/run.sh $n\`. Provider: sample (synthetic)."
  echo
  echo "| run | wall | CPU | peak RSS | parent events | largest event (bytes) | load average at start |"
  echo "|---|---|---|---|---|---|---|"
  measure "first run, $from .. $prev" --symbols "@$work/symbols.txt" --from "$from" --to "$prev"
  measure "next day ($last), incremental" --symbols "@$work/symbols.txt"
  echo
  echo "Time per state, first run:"
  echo; echo '```'; cat "$work/first run, $from .. $prev.states" 2>/dev/null || cat "$work"/first*.states; echo '```'
  echo; echo "Time per state, next day:"
  echo; echo '```'; cat "$work"/next*.states; echo '```'
} > "bench/results/market-scale.md"
cat bench/results/market-scale.md
