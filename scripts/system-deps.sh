#!/usr/bin/env bash
# System packages the full test suite uses. Installed when we are root on Debian/Ubuntu;
# otherwise we only say what is missing (the tests that need them skip with a reason).
#   chromium              real-browser tests of the playground (driven by playwright)
#   dataset-fashion-mnist real data for the experiments (files under /usr/share/datasets)
#   fonts-nanum           Hangul in figures (lang="ko")
#   graphviz              renders the network diagram's DOT export
#
# When another apt/dpkg runs (unattended-upgrades, a second `make test`), we wait for its lock
# (up to MLPLAB_APT_LOCK_TIMEOUT seconds, default 600) instead of failing; when apt-get fails
# anyway its own error is shown.
set -u
pkgs="chromium dataset-fashion-mnist fonts-nanum graphviz"
lock_timeout="${MLPLAB_APT_LOCK_TIMEOUT:-600}"
retry_sleep="${MLPLAB_APT_RETRY_SLEEP:-10}"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[system-deps] not installed:$missing — run 'sudo bash scripts/system-deps.sh' for the full suite (those tests skip)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# apt-get with its own lock wait; if the lock is still taken (older apt), retry until the timeout
run_apt() {
  local waited=0
  while :; do
    if apt-get -o "DPkg::Lock::Timeout=$lock_timeout" "$@" >"$log" 2>&1; then
      return 0
    fi
    if grep -qiE "could not get lock|unable to acquire|is another process using it" "$log" \
      && [ "$waited" -lt "$lock_timeout" ]; then
      echo "[system-deps] another apt/dpkg holds the lock; waiting (${waited}s of ${lock_timeout}s)"
      sleep "$retry_sleep"
      waited=$((waited + retry_sleep + 1))
      continue
    fi
    return 1
  done
}

show_log() {
  tail -n 15 "$log" | sed 's/^/[system-deps]   /'
}

echo "[system-deps] installing:$missing"
if ! run_apt update -qq; then
  echo "[system-deps] apt-get update failed (trying to install anyway); apt-get said:"
  show_log
fi
if run_apt install -y -qq $missing; then
  echo "[system-deps] installed:$missing"
else
  echo "[system-deps] could not install:$missing (tests that need them will skip); apt-get said:"
  show_log
fi
exit 0
