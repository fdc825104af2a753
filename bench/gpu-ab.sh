#!/usr/bin/env bash
# Two trees in one device call (bench/pack-gpu.sh --base REV packs REV's bundle as bundle-base.mjs beside this tree's
# bundle.mjs): `--profiles` four times, base / new / base / new, then the full Cora run and `--shapes` of the bundle
# whose epoch() calls (as train() makes them, summed over the profiled models: the wall time a user sees) took less;
# "new" unless base is more than 2% faster. The log also has the article model's (3 layers, X and A dense) GPU time
# an epoch in units of Adam's kernel in the same profile (the GPU's clock moves between and within processes, and a
# ratio in one profile cancels it). About 460 s in all
# (profiles ~60, Cora ~300, shapes ~100): within one 600 s call when the device budget allows it.
# Writes into $OUT: profiles-{base,new}-{1,2}.json, cora-PICK.json, shapes-PICK.json and log.txt (each phase's start
# and end in it); with --clocks also clocks.csv, nvidia-smi's SM clock every 100 ms while the profiles run (it slows
# Dawn's epochs a little: a diagnostic, never beside a timed row of record). --profiles-only stops after the four.
#   run command="bash .device-carry/gpu-ab.sh [--clocks] [--profiles-only]" carry=[".device-carry"]
set -u
fail=0
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/bundle-base.mjs" ] || { echo "gpu-ab.sh: no bundle-base.mjs (pack with bench/pack-gpu.sh --base REV)" >&2; exit 2; }
clocks=false only=false
for a in "$@"; do case $a in --clocks) clocks=true ;; --profiles-only) only=true ;; *) echo "gpu-ab.sh: unknown option $a" >&2; exit 2 ;; esac; done
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
$only && exit $fail
pick=$(python3 - "$OUT" 2>> "$log" <<'PY'
import json, statistics, sys
def rows(b, k):
    d = json.load(open(f"{sys.argv[1]}/profiles-{b}-{k}.json"))
    return [r for r in d["rows"] if r.get("kind") == "profile" and r.get("callsMs")]
def calls(b):
    # Each profiled model's epoch() calls as train() makes them (the first, cold, and the last, not ahead, left out).
    xs = {}
    for k in (1, 2):
        for r in rows(b, k):
            xs.setdefault(f'{r["layers"]}L {r["features"]} X {r["adjacency"]} A', []).append(statistics.median(r["callsMs"][1:-1]))
    return {m: statistics.median(v) for m, v in xs.items()}
def gpu(b):
    # The article's model's epoch GPU time in units of Adam's kernel in the same profile (the GPU's clock moves).
    xs = [r["epochGpuUs"] / next(x["gpuUs"] for x in r["kernels"] if x["name"] == "adam") for k in (1, 2) for r in rows(b, k) if r["layers"] == 3 and r["features"] == "dense" and "epochGpuUs" in r]
    return statistics.median(xs) if xs else float("nan")
base, new = calls("base"), calls("new")
for m in base:
    print(f"{m}: epoch() calls, median ms: base {base[m]:.4f}, new {new.get(m, float('nan')):.4f}", file=sys.stderr)
print(f"article model, epoch GPU time in adam units: base {gpu('base'):.2f}, new {gpu('new'):.2f}", file=sys.stderr)
total = lambda c: sum(c.values())
print("new" if total(new) <= 1.02 * total(base) else "base")
PY
) || { stamp "gpu-ab.sh: the profiles have no GPU times to pick by (see the log)"; exit 1; }
stamp "picked $pick"
f=bundle.mjs; [ "$pick" = base ] && f=bundle-base.mjs
stamp "cora starts"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --out "$OUT/cora-$pick.json" >> "$log" 2>&1
rc=$?; [ $rc = 0 ] || fail=1
stamp "cora rc $rc ends"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --shapes --out "$OUT/shapes-$pick.json" >> "$log" 2>&1
rc=$?; [ $rc = 0 ] || fail=1
stamp "shapes rc $rc ends"
exit $fail
