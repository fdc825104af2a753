#!/usr/bin/env bash
# Packs bench/gpu.ts for the device machine into .device-carry/ (git-ignored): ../shared/tools/device-carry.sh, then
# what this project needs beyond it. Run it with the device tool, each under its 10-minute limit:
#   Cora (2- and 3-layer rows, the article's dense model fused, profiles, 200-epoch checks against cpu, the peers):
#   run command="GCNLAB_DATA_DIR=\$PWD/.device-carry/data bash .device-carry/go.sh --out \$OUT/gpu.json" carry=[".device-carry"]
#   Synthetic graphs, in two calls:
#   run command="bash .device-carry/go.sh --scaling 10000,100000,1000000 --epochs 10 --warmup 2 --out \$OUT/gpu-scaling.json" carry=[".device-carry"]
#   run command="bash .device-carry/go.sh --scaling 3000000,10000000 --epochs 10 --warmup 2 --out \$OUT/gpu-scaling.json" carry=[".device-carry"]
#   The GPU ran slower for the first epochs of a short run (at 10^6 nodes ~28 epochs took 3.4x the GPU time, by
#   timestamps; its clocks, most likely):
#   --warmup 40 --warmup-in-run warms every side up for 40 epochs, gcnlab's also inside its timed train() call.
#   Where the fused epochs' time goes, the 2-layer GCN and the article's model alone (seconds):
#   run command="GCNLAB_DATA_DIR=\$PWD/.device-carry/data bash .device-carry/go.sh --profiles --out \$OUT/gpu-profiles.json" carry=[".device-carry"]
#   Two trees in one call (bash bench/pack-gpu.sh --base REV packs REV's bench/gpu.ts beside this tree's): --profiles
#   alternating the two bundles, then the full Cora run and --shapes of the one whose epoch() calls took less:
#   run command="bash .device-carry/gpu-ab.sh" carry=[".device-carry"]
#   Issue 17's Cora targets only, three rounds in turn (165 s a round; each round's ratios, each target's median;
#   round r starts at the r-th target, and --first-round N goes on from an earlier call's rounds):
#   run command="GCNLAB_DATA_DIR=\$PWD/.device-carry/data bash .device-carry/go.sh --rounds 3 --out \$OUT/rounds.json" carry=[".device-carry"]
#   Calls of rounds on one machine (the later ones given --first-round past the earlier's) merge into one file here:
#   node --import tsx bench/gpu-merge-rounds.ts --out bench/results/FILE.json CALL-1.json CALL-2.json ...
#   What each WebGPU call of an epoch costs the host through Dawn's binding, on the GPU and on Dawn's null backend:
#   run command="GCNLAB_BUNDLE=dawn-calls.mjs bash .device-carry/go.sh; GCNLAB_BUNDLE=dawn-calls.mjs bash .device-carry/go.sh --backend null" carry=[".device-carry"]
#   What the GPU's adapter offers through Dawn (features such as subgroups, subgroup sizes, limits), one JSON line:
#   run command="GCNLAB_BUNDLE=gpu-features.mjs bash .device-carry/go.sh" carry=[".device-carry"]
#   Dawn's toggles that take per-workgroup work away (zeroing workgroup memory, clamping every index), against the
#   default, one round each in one call (on SwiftShader the webgpu tests, all passing, ran in a third of the time:
#   bench/results/swiftshader-2026-12-07-dawn-toggles.json):
#   run command="export GCNLAB_DATA_DIR=\$PWD/.device-carry/data; bash .device-carry/go.sh --rounds 1 --out \$OUT/default.json; GCNLAB_DAWN_FLAGS='disable-dawn-features=timestamp_quantization enable-dawn-features=disable_workgroup_init,disable_robustness' bash .device-carry/go.sh --rounds 1 --out \$OUT/toggles.json" carry=[".device-carry"]
#   A dense A read as CSR (the default) against its dense rows, same bundle, processes alternating (10 s each):
#   run command="export GCNLAB_DATA_DIR=\$PWD/.device-carry/data; for k in 1 2; do bash .device-carry/go.sh --profiles --out \$OUT/csr-\$k.json; GCNLAB_WEBGPU_SPARSE_ADJACENCY=off bash .device-carry/go.sh --profiles --out \$OUT/off-\$k.json; done" carry=[".device-carry"]
#   The JAX peer alone at 10^7 nodes (63 s on an H100 since 1d3b9e4, whose step takes the graph as an argument; all
#   four sides at 10^7 took 246 s: --scaling 10000000 --epochs 10 --warmup 40 --warmup-in-run):
#   run command="bash .device-carry/go.sh --scaling 10000000 --peers-only --scaling-peers jax-segment --epochs 10 --warmup 40 --warmup-in-run --out \$OUT/jax-1e7.json" carry=[".device-carry"]
# A software adapter (SwiftShader) is refused unless --allow-software: its times say nothing about a GPU.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
out=.device-carry
base=
rm -f "$out/bundle-base.mjs"
case $# in
  0) ;;
  2) [ "$1" = --base ] || { echo "pack-gpu.sh: unknown option $1 (usage: pack-gpu.sh [--base REV])" >&2; exit 2; }
     base=$(git rev-parse --verify -q "$2^{commit}") || { echo "pack-gpu.sh: --base $2 is not a commit" >&2; exit 2; } ;;
  *) echo "pack-gpu.sh: usage: pack-gpu.sh [--base REV]" >&2; exit 2 ;;
esac
bundle() { # bundle ENTRY OUTFILE [COMMIT], from the current folder; COMMIT is what bench/gpu.ts records as `bundle`
  npx --no-install esbuild "$1" --bundle --platform=node --format=esm --minify --log-level=warning --ignore-annotations \
    --external:webgpu --outfile="$2" --define:GCNLAB_BUNDLE_COMMIT="\"${3:-unknown}\"" \
    --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
}
shared=$(cd "$(git rev-parse --show-toplevel)/.." && pwd)/shared
"$shared/tools/device-carry.sh" bench/gpu.ts "$out"
# Again with --ignore-annotations: the tfjs backends say sideEffects:false, so esbuild would drop the
# `import '@tensorflow/tfjs-backend-cpu'` that registers the cpu backend.
commit=$(git rev-parse --short HEAD)
# A tree with changes (untracked files too) is named by a hash of them, so two different ones are told apart.
if [ -n "$(git status --porcelain)" ]; then
  commit="$commit-dirty-$({ git diff HEAD; git ls-files --others --exclude-standard | sort | xargs -r -d '\n' cat; } | sha1sum | cut -c1-7)"
fi
bundle bench/gpu.ts "$out/bundle.mjs" "$commit"
# The host's cost of each WebGPU call an epoch makes (GCNLAB_BUNDLE=dawn-calls.mjs bash .device-carry/go.sh [--backend null]).
bundle bench/dawn-calls.ts "$out/dawn-calls.mjs"
if [ -n "$base" ]; then
  # REV's tree in a worktree of its own, with this checkout's node_modules, bundled as bundle-base.mjs.
  # REV's bundle resolves its packages from this checkout's node_modules: say so where REV's lock file differs.
  git diff --quiet "$base" -- package-lock.json || echo "pack-gpu.sh: package-lock.json differs at $base; its bundle uses this checkout's packages" >&2
  tree=$(mktemp -d)
  trap 'git worktree remove --force "$tree" 2>/dev/null; rm -rf "$tree"' EXIT
  git worktree add -q --detach "$tree" "$base"
  ln -s "$PWD/node_modules" "$tree/node_modules"
  (cd "$tree" && bundle bench/gpu.ts "$OLDPWD/$out/bundle-base.mjs" "$(git rev-parse --short "$base")")
  echo "bundle-base.mjs: $(git rev-parse --short "$base")"
fi
# run.sh runs $GCNLAB_BUNDLE when it is set (gpu-ab.sh's two bundles), bundle.mjs otherwise.
sed -i 's|exec /tmp/node bundle.mjs "\$@"|exec /tmp/node "${GCNLAB_BUNDLE:-bundle.mjs}" "$@"|' "$out/run.sh"
grep -q 'GCNLAB_BUNDLE' "$out/run.sh" || { echo "pack-gpu.sh: run.sh's last line changed; GCNLAB_BUNDLE not wired" >&2; exit 1; }
# Dawn compressed (go.sh unpacks it there): with node, the folder must stay under the 64 MiB the tool carries.
dawn="$out/node_modules/webgpu/dist/linux-x64/dawn.node"
[ -f "$dawn" ] && xz -T2 -6 -f "$dawn"
mkdir -p "$out/data/cora"
cp "${GCNLAB_DATA_DIR:-$shared/data}"/cora/ind.cora.* "$out/data/cora/"
cp bench/gpu-peers.py bench/gpu-ab.sh bench/gpu-features.mjs "$out/"
cat > "$out/go.sh" <<'GO'
#!/usr/bin/env bash
# Unpacks the compressed Dawn build (the carried tree must stay under 64 MiB), then runs run.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
d="$here/node_modules/webgpu/dist/linux-x64"
[ -f "$d/dawn.node" ] || xz -d -k "$d/dawn.node.xz"
# Timestamps unrounded (Dawn rounds them to 65.5 µs by default), for the profile's per-kernel GPU times.
export GCNLAB_DAWN_FLAGS="${GCNLAB_DAWN_FLAGS-disable-dawn-features=timestamp_quantization}"
exec bash "$here/run.sh" "$@"
GO
chmod +x "$out/go.sh"
du -sh "$out"
