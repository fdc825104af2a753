#!/usr/bin/env bash
# Two trees in one device call (bench/pack-gpu.sh --base REV packs REV's bundle as bundle-base.mjs beside this tree's
# bundle.mjs): `--profiles` four times, base / new / base / new, then the full Cora run and `--shapes` of whichever
# bundle gave the article's model (3 layers, X and A dense) the smaller median GPU time an epoch in its profiles.
# Writes into $OUT: profiles-{base,new}-{1,2}.json, cora-PICK.json, shapes-PICK.json and log.txt (each phase's start
# and end in it); with --clocks also clocks.csv, nvidia-smi's SM clock every 100 ms while the profiles run (it slows
# Dawn's epochs a little: a diagnostic, never beside a timed row of record). --profiles-only stops after the four.
#   run command="bash .device-carry/gpu-ab.sh [--clocks] [--profiles-only]" carry=[".device-carry"]
set -u
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
    stamp "profiles $b $k rc $? ends"
  done
done
$clocks && kill "$sampler"
$only && exit 0
pick=$(python3 - <<'PY'
import json, os, statistics
def gpu(b):
    xs = []
    for k in (1, 2):
        d = json.load(open(f"{os.environ['OUT']}/profiles-{b}-{k}.json"))
        xs += [r["epochGpuUs"] for r in d["rows"] if r.get("kind") == "profile" and r["layers"] == 3 and r["features"] == "dense" and "epochGpuUs" in r]
    return statistics.median(xs)
print("new" if gpu("new") <= 1.02 * gpu("base") else "base")
PY
)
stamp "picked ${pick:-new (the profiles had no GPU times)}"
f=bundle.mjs; [ "$pick" = base ] && f=bundle-base.mjs
stamp "cora starts"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --out "$OUT/cora-${pick:-new}.json" >> "$log" 2>&1
stamp "cora rc $? ends"
GCNLAB_BUNDLE=$f bash "$here/go.sh" --shapes --out "$OUT/shapes-${pick:-new}.json" >> "$log" 2>&1
stamp "shapes rc $? ends"
