#!/usr/bin/env bash
# Two trees in one device call (bench/pack-gpu.sh --base REV packs REV's bundle as bundle-base.mjs beside this tree's
# bundle.mjs): `--profiles` four times, base / new / base / new, then the full Cora run and `--shapes` of the bundle
# whose epoch() calls (as train() makes them, summed over the profiled models: the wall time a user sees) took less;
# "new" unless base is more than 2% faster, leaving out a model whose profiles ran at another GPU speed in the two
# trees (the time of --unit's kernel, featuresTimesW1 unless a tree changes it, more than 1.5x apart: on 2026-12-04
# every kernel of one tree's article-model profiles took 3.5x). The log also has each model's GPU time an epoch in
# units of that kernel in the same profile (a ratio in one profile cancels the GPU's speed). About 550 s in all
# (profiles ~40, Cora ~490, shapes ~20; with --rounds 1, about 210): within one 600 s call.
# Writes into $OUT: profiles-{base,new}-{1,2}.json, cora-PICK.json, shapes-PICK.json and log.txt (each phase's start
# and end in it); with --clocks also clocks.csv, nvidia-smi's SM clock every 100 ms while the profiles run (it slows
# Dawn's epochs a little: a diagnostic, never beside a timed row of record). --profiles-only stops after
# the four and the pick's log.
# --unit K1,K2,...: the kernel that measures the GPU's speed in each profile, the first of the list that the
# profile's model has (default featuresTimesW1; name ones neither tree changes). --rounds N: after the pick,
# `go.sh --rounds N` of the picked bundle (~165 s a round, into rounds-PICK.json) instead of the full Cora run and
# --shapes.
#   run command="bash .device-carry/gpu-ab.sh [--clocks] [--profiles-only] [--unit K1,K2,...] [--rounds N]" carry=[".device-carry"]
set -u
fail=0
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/bundle-base.mjs" ] || { echo "gpu-ab.sh: no bundle-base.mjs (pack with bench/pack-gpu.sh --base REV)" >&2; exit 2; }
clocks=false only=false unit=featuresTimesW1 rounds=
while [ $# -gt 0 ]; do
  case $1 in
    --clocks) clocks=true ;;
    --profiles-only) only=true ;;
    --unit) [ $# -ge 2 ] || { echo "gpu-ab.sh: --unit needs kernels' names, comma-separated" >&2; exit 2; }; unit=$2; shift ;;
    --rounds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "gpu-ab.sh: --rounds needs a whole number of rounds, not '${2:-}'" >&2; exit 2; }; rounds=$2; shift ;;
    *) echo "gpu-ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export GCNLAB_DATA_DIR=$here/data
log=$OUT/log.txt
stamp() { echo "$1 $(date +%T.%N)" | tee -a "$log"; }
if $clocks; then
  nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,pstate,utilization.gpu,power.draw,clocks_event_reasons.active --format=csv -lms 100 > "$OUT/clocks.csv" 2>&1 &
  sampler=$!
fi
for k in 1 2; do
  for b in base new; do
    f=bundle.mjs; [ $b = base ] && f=bundle-base.mjs
    stamp "profiles $b $k starts"
    GCNLAB_BUNDLE=$f bash "$here/go.sh" --profiles --out "$OUT/profiles-$b-$k.json" >> "$log" 2>&1
    rc=$?; [ $rc = 0 ] || fail=1
    stamp "profiles $b $k rc $rc ends"
  done
done
$clocks && kill "$sampler"
pick=$(python3 - "$OUT" "$unit" 2>> "$log" <<'PY'
import json, statistics, sys
# The GPU's speed moves between processes (up to 3.5x for every kernel alike, 2026-12-04): each profile's time of
# --unit's kernel (featuresTimesW1 by default: X W1, the first kernel of every model, which the fusions left alone)
# is its measure of that speed.
UNITS = sys.argv[2].split(",")
def rows(b, k):
    d = json.load(open(f"{sys.argv[1]}/profiles-{b}-{k}.json"))
    return [r for r in d["rows"] if r.get("kind") == "profile" and r.get("callsMs")]
def unit(r):
    us = {x["name"]: x["gpuUs"] for x in r["kernels"]}
    name = next((u for u in UNITS if u in us), None)
    if name is None:
        sys.exit(f"gpu-ab.sh: none of {', '.join(UNITS)} in the {r['layers']}-layer profile (its kernels: {', '.join(us)}); name one with --unit")
    return name, us[name]
def runs(b):
    # Each profiled model's epoch() calls as train() makes them (the first, cold, and the last, not ahead, left out),
    # with the speed measure of the same profile.
    xs = {}
    for k in (1, 2):
        for r in rows(b, k):
            name, us = unit(r)
            xs.setdefault(f'{r["layers"]}L {r["features"]} X {r["adjacency"]} A', []).append({"calls": statistics.median(r["callsMs"][1:-1]), "unit": us, "gpu": r.get("epochGpuUs"), "name": name})
    return xs
med = lambda xs: statistics.median(xs) if xs else float("nan")
base, new = runs("base"), runs("new")
calls, compared = {}, {}
for m in base:
    b, n = base[m], new.get(m, [])
    calls[m] = (med([p["calls"] for p in b]), med([p["calls"] for p in n]))
    ub, un = med([p["unit"] for p in b]), med([p["unit"] for p in n])
    gb, gn = med([p["gpu"] / p["unit"] for p in b if p["gpu"]]), med([p["gpu"] / p["unit"] for p in n if p["gpu"]])
    name = b[0]["name"]
    same = 1 / 1.5 <= un / ub <= 1.5
    note = "" if same else f": the GPU ran at another speed ({name} {ub:.1f} us base, {un:.1f} new), left out of the pick"
    print(f"{m}: epoch() calls, median ms: base {calls[m][0]:.4f}, new {calls[m][1]:.4f}; epoch GPU time in {name} units: base {gb:.2f}, new {gn:.2f}{note}", file=sys.stderr)
    if same:
        compared[m] = calls[m]
if not compared:
    print("no model's profiles ran at one GPU speed in both trees: the pick compares them all", file=sys.stderr)
    compared = calls
total = lambda i: sum(v[i] for v in compared.values())
print("new" if total(1) <= 1.02 * total(0) else "base")
PY
) || { stamp "gpu-ab.sh: the profiles have no GPU times to pick by (see the log)"; exit 1; }
stamp "picked $pick"
$only && exit $fail
f=bundle.mjs; [ "$pick" = base ] && f=bundle-base.mjs
if [ -n "$rounds" ]; then
  stamp "rounds starts"
  GCNLAB_BUNDLE=$f bash "$here/go.sh" --rounds "$rounds" --out "$OUT/rounds-$pick.json" >> "$log" 2>&1
  rc=$?; [ $rc = 0 ] || fail=1
  stamp "rounds rc $rc ends"
  exit $fail
fi
stamp "cora starts"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --out "$OUT/cora-$pick.json" >> "$log" 2>&1
rc=$?; [ $rc = 0 ] || fail=1
stamp "cora rc $rc ends"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --shapes --out "$OUT/shapes-$pick.json" >> "$log" 2>&1
rc=$?; [ $rc = 0 ] || fail=1
stamp "shapes rc $rc ends"
exit $fail
