#!/usr/bin/env bash
# Is `stockflow package` deterministic across checkouts? Builds the package from two separate checkouts of the same
# commit (git worktrees at different paths and path lengths, each with its own obj/ and bin/, nothing shared but the
# NuGet cache) and compares every artifact byte for byte. Too slow for CI (two full builds and two Native AOT
# publishes: 10-15 minutes on the 2-core machine), so it runs by hand; results in bench/results/package-determinism.md.
#
# usage: bench/package-determinism/compare.sh [commit (default HEAD)] [--write]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
commit="HEAD"
write=0
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    *) commit="$arg" ;;
  esac
done
commit="$(git -C "$repo" rev-parse "$commit")"
work="$(mktemp -d /tmp/stockflow-determinism.XXXXXX)"
a="$work/a"
b="$work/checkout-b-at-a-longer-path"
cleanup() {
  git -C "$repo" worktree remove --force "$a" >/dev/null 2>&1 || true
  git -C "$repo" worktree remove --force "$b" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
for checkout in "$a" "$b"; do
  git -C "$repo" worktree add --detach "$checkout" "$commit" >/dev/null
  # Each checkout builds its own CLI, which publishes its own bootstrap (Native AOT, linked by gcc).
  (cd "$checkout" && dotnet build src/Local/StockFlow.Cli -c Release -m:1 --nologo && dotnet run --project src/Local/StockFlow.Cli -c Release --no-build -- package --output "$checkout/artifacts") > "$work/$(basename "$checkout").log" 2>&1 \
    || { cat "$work/$(basename "$checkout").log"; exit 1; }
done
elapsed=$(( $(date +%s) - started ))

listing() { (cd "$1/artifacts" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
report="$work/report.md"
{
  echo "# \`stockflow package\` from two checkouts"
  echo
  echo "\`bench/package-determinism/compare.sh $commit\` ($(date -u '+%Y-%m-%d %H:%M UTC'), ${elapsed} s for both builds):"
  echo "two \`git worktree\`s of the same commit at \`$a\` and \`$b\`, each building its own CLI and publishing its own bootstrap."
  echo
  echo '| artifact | size (B) | sha256, checkout A | same in checkout B |'
  echo '|---|---|---|---|'
} > "$report"
differ=0
while read -r hash name; do
  other=$(cd "$b/artifacts" && sha256sum "$name" 2>/dev/null | cut -d' ' -f1 || true)
  if [ "$hash" = "$other" ]; then same=yes; else same="**no** (${other:-missing})"; differ=1; fi
  echo "| \`${name#./}\` | $(stat -c %s "$a/artifacts/$name") | \`$hash\` | $same |" >> "$report"
done < <(listing "$a")
if [ "$(listing "$a" | awk '{print $2}')" != "$(listing "$b" | awk '{print $2}')" ]; then
  echo "The two checkouts produced different file lists." >> "$report"
  differ=1
fi
echo >> "$report"
if [ "$differ" -eq 0 ]; then echo "Every artifact is byte-identical." >> "$report"; else echo "**Artifacts differ.**" >> "$report"; fi
cat "$report"
if [ "$write" -eq 1 ]; then cp "$report" "$repo/bench/results/package-determinism.md"; fi
exit "$differ"
