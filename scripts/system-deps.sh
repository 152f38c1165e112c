#!/usr/bin/env bash
# System packages the full test suite uses. Installed when we are root on Debian/Ubuntu;
# otherwise we only say what is missing (the tests that need them skip with a reason).
#   chromium              real-browser tests of the playground (driven by playwright)
#   dataset-fashion-mnist real data for the experiments (files under /usr/share/datasets)
#   fonts-nanum           Hangul in figures (lang="ko")
#   graphviz              renders the network diagram's DOT export
set -u
pkgs="chromium dataset-fashion-mnist fonts-nanum graphviz"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[system-deps] installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq $missing >/dev/null 2>&1 || echo "[system-deps] could not install:$missing (tests that need them will skip)"
else
  echo "[system-deps] not installed:$missing — run 'sudo bash scripts/system-deps.sh' for the full suite (those tests skip)"
fi
exit 0
