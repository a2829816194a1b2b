#!/usr/bin/env bash
# Install the Debian packages the build and the tests need, only when missing.
# Usage: scripts/install-system-deps.sh [fonts] [libreoffice] [browser] [tools] [node]
# Runs as root (CI and the dev machines are root); uses sudo when available otherwise.
# fonts: the CJK fonts of the PDFs, and libharfbuzz-subset0, with which WeasyPrint cuts the
# fonts it embeds to the glyphs used (without it WeasyPrint falls back to fontTools, slower,
# and warns that future versions require it). generator/fonts.py subsets through the
# uharfbuzz wheel (pyproject.toml) and needs no system library.
set -euo pipefail

declare -A GROUPS_PKGS=(
  [fonts]="fonts-noto-cjk fontconfig libharfbuzz-subset0"
  [libreoffice]="libreoffice-writer-nogui"
  [browser]="chromium"
  [tools]="poppler-utils"
  [node]="nodejs npm"
)

want=()
for group in "${@:-fonts}"; do
  pkgs=${GROUPS_PKGS[$group]:-}
  if [ -z "$pkgs" ]; then
    echo "unknown group: $group (known: ${!GROUPS_PKGS[*]})" >&2
    exit 2
  fi
  # Node.js (for npm ci of the browser tests' axe-core) may come from elsewhere than Debian.
  if [ "$group" = node ] && command -v npm >/dev/null 2>&1; then continue; fi
  for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      want+=("$p")
    fi
  done
done

[ ${#want[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "需要安装系统软件包 / missing system packages: ${want[*]}" >&2
    echo "请以 root 运行，或手动安装 / run as root or install them: apt-get install ${want[*]}" >&2
    exit 1
  fi
fi
echo "installing system packages: ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list makes apt-get install fail; refresh it once per run.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
