#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium when no Chromium is on PATH (for the annotate_html
# test, which renders a page in a real browser). Prints the browser's path.
set -euo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then command -v "$b"; exit 0; fi
done
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Chromium is missing and installing it needs root (apt-get install chromium)" >&2; exit 1; }
  sudo="sudo -n"
fi
echo "installing Debian's chromium package…" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 || true
$sudo apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
