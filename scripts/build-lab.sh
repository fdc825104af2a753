#!/usr/bin/env bash
# Installs (npm ci) and builds the JupyterLab app (extension/app) and the gcnlab-jupyterlab extension (extension/),
# skipping each step whose inputs have not changed since it last ran. `--force` rebuilds both.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
force=0
[ "${1:-}" = "--force" ] && force=1

# True when $1 is missing or older than any file given after it (directories are searched).
stale() {
  local target=$1
  shift
  [ "$force" = 1 ] || [ ! -e "$target" ] || [ -n "$(find "$@" -newer "$target" -type f -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]
}

install() {
  local dir=$1
  # npm ci leaves node_modules/.package-lock.json behind; it is newer than package-lock.json until the lock changes.
  if stale "$dir/node_modules/.package-lock.json" "$dir/package-lock.json"; then
    echo "build-lab: npm ci in ${dir#$root/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

app="$root/extension/app"
ext="$root/extension"
install "$app"
install "$ext"

if stale "$app/build/static/main.js" "$app/package.json" "$app/src" "$app/build.mjs" "$app/package-lock.json" "$app/templates"; then
  echo "build-lab: building the JupyterLab app"
  (cd "$app" && node build.mjs)
fi

if stale "$ext/prebuilt/gcnlab-jupyterlab/package.json" "$ext/src" "$ext/style" "$ext/schema" "$ext/package.json" \
  "$ext/package-lock.json" "$app/build/core/package.json" "$root/kernel/timing/messages.ts" "$root/kernel/timing/memory-sample.ts" "$root/src/bench/references.ts" "$root/src/display/figure.ts"; then
  echo "build-lab: building the gcnlab-jupyterlab extension (prebuilt, federated)"
  (cd "$ext" && npm run --silent build)
fi
