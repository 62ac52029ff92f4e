#!/usr/bin/env bash
# scripts/fuzz.sh [COUNT]: hostile input to 'marketsim validate', each input a real process.
#
# Writes COUNT (default 1200) mutations of the shipped scenario and experiment files (deleted lines and keys, wrong
# types, huge numbers, NaN strings, deep nesting, aliases and alias bombs, unicode and control characters,
# truncation; the generator is tests/MarketSim.Cli.Tests/Fuzz/FuzzInputs.cs) plus odd files (an alias bomb, a
# 50 MB file, /dev/zero, a FIFO, a folder), runs 'validate' on each with at most 10 s of CPU time (prlimit; a wall
# clock limit of WALL seconds, default 60, guards against waiting, since on a shared machine the wall clock mostly
# measures other processes) and a 500 MB heap, and prints a table of outcomes. Every input must exit 0 or 2, print no exception or stack trace
# and no control character (a hostile value quoted in a problem is escaped as \uXXXX), and every problem line of
# an exit 2 must carry file:line:column (and a field path unless it concerns the file as a whole). Exits 1 when an
# input breaks a rule, listing it. JOBS=N runs N inputs at a time (default 2).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
count="${1:-1200}"
jobs="${JOBS:-2}"
export WALL="${WALL:-60}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

echo "fuzz: building the tests and writing $count inputs into $work ..." >&2
dotnet build tests/MarketSim.Cli.Tests -c Release --nologo -v quiet -clp:NoSummary >/dev/null
MARKETSIM_FUZZ_DIR="$work/corpus" MARKETSIM_FUZZ_COUNT="$count" \
    dotnet test tests/MarketSim.Cli.Tests -c Release --no-build --nologo -v quiet \
    --filter "FullyQualifiedName~FuzzTests.The_corpus_is_written_for_the_fuzz_script" >/dev/null
export CLI="$root/tests/MarketSim.Cli.Tests/bin/Release/net10.0/marketsim.dll"

odd="$work/odd"
mkdir -p "$odd/folder"
python3 - "$odd/alias-bomb.yaml" <<'PY'
import sys
lines = ["name: bomb", "a: &a [1,1,1,1,1,1,1,1,1,1]"]
lines += [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(["*" + chr(96 + i)] * 10) + "]" for i in range(1, 10)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
truncate -s 50M "$odd/fifty-megabytes.yaml"
mkfifo "$odd/fifo.yaml"

run_one() {
    local input="$1" out time rc elapsed user system cpu rss defect=""
    out="$(mktemp)"; time="$(mktemp)"
    set +e
    /usr/bin/time -f "%e %U %S %M" -o "$time" timeout -k 2 "$WALL" prlimit --cpu=10 \
        env DOTNET_GCHeapHardLimit=0x1F400000 dotnet "$CLI" validate "$input" >"$out" 2>&1
    rc=$?
    set -e
    read -r elapsed user system rss < <(tail -n 1 "$time")
    cpu="$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')"
    if [[ $rc -ne 0 && $rc -ne 2 ]]; then defect="exit $rc"; fi
    # grep -a: output holding a NUL is read as text, so that no check is skipped as "binary file matches".
    if grep -qaE 'Exception|^\s+at \S+\(' "$out"; then defect="exception"; fi
    if LC_ALL=C grep -qaE '[[:cntrl:]]' "$out"; then defect="${defect:-control character in output}"; fi
    if [[ $rc -eq 2 ]]; then
        if grep -avqE '^.+:[0-9]+:[0-9]+: .+' "$out"; then defect="unlocated line"; fi
        if grep -aE '^.+:[1-9][0-9]*:[0-9]+: ' "$out" | sed -E 's/^.+:[0-9]+:[0-9]+: //' \
            | awk '{ i = index($0, ": "); if (i > 0 && substr($0, 1, i) !~ /\(fix/) next; print }' \
            | grep -avE '^(YAML syntax error|duplicate key|the file is empty|the file holds [0-9]+ YAML documents|nesting deeper than|more than [0-9,]+ values in the file|the file is not UTF-8|a key must be a plain name)' \
            | grep -aq .; then defect="${defect:-problem without path}"; fi
    fi
    if (( rss > 512000 )); then defect="${defect:-memory ${rss} KB}"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$input" "$rc" "$elapsed" "$cpu" "$rss" "${defect:--}"
    if [[ -n "$defect" ]]; then { echo "== $input ($defect)"; head -n 20 "$out"; } >>"$WORK/defects.txt"; fi
    rm -f "$out" "$time"
}
export -f run_one
export WORK="$work"

echo "fuzz: running validate on $((count + 5)) inputs, $jobs at a time ..." >&2
{ find "$work/corpus" -name 'm*.yaml' | sort; echo "$odd/alias-bomb.yaml"; echo "$odd/fifty-megabytes.yaml"; echo "/dev/zero"; echo "$odd/fifo.yaml"; echo "$odd/folder"; } \
    | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} >"$work/results.tsv"

awk -F'\t' '
    { kind = ($1 ~ /\/experiments\//) ? "experiment" : ($1 ~ /\/corpus\//) ? "scenario" : "odd file"
      n[kind]++; total++
      rc = ($2 == 0 || $2 == 2) ? "exit " $2 : "other"; count[kind, rc]++
      if ($3 > maxt[kind]) maxt[kind] = $3; if ($4 > maxc[kind]) maxc[kind] = $4; if ($5 > maxm[kind]) maxm[kind] = $5
      if ($6 != "-") bad[kind]++ }
    END {
      printf "%-11s %7s %7s %7s %7s %11s %10s %12s %8s\n", "input", "count", "exit 0", "exit 2", "other", "max wall s", "max CPU s", "max RSS MB", "defects"
      split("scenario experiment odd file", order, " ")
      for (i = 1; i <= 3; i++) { k = (i == 3) ? "odd file" : order[i]
        printf "%-11s %7d %7d %7d %7d %11.2f %10.2f %12.1f %8d\n", k, n[k], count[k, "exit 0"], count[k, "exit 2"], count[k, "other"], maxt[k], maxc[k], maxm[k] / 1024, bad[k] }
    }' "$work/results.tsv"

if [[ -s "$work/defects.txt" ]]; then
    echo "fuzz: inputs that broke a rule:" >&2
    cat "$work/defects.txt" >&2
    exit 1
fi
echo "fuzz: every input exited 0 or 2 with located problems" >&2
