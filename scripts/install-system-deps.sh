#!/usr/bin/env bash
# Installs the Debian packages gcnlab's tests and `npm start` use: Jupyter, the kernel test suite, nbclient,
# ipykernel and PyTorch with OpenBLAS (the peers we measure against; without OpenBLAS Debian's torch falls back to the
# reference BLAS and runs 5-10x slower, which would flatter us), and Chromium for the browser tests.
set -euo pipefail
packages=(
  python3-jupyter-client python3-jupyter-kernel-test python3-nbclient python3-nbformat jupyter-nbconvert
  python3-jupyter-server python3-jupyterlab-server python3-ipykernel python3-torch libopenblas0-pthread
  chromium
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install these Debian packages as root first: apt-get install ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "installing Debian packages: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
