#!/usr/bin/env bash
# The system packages `make run` and `make test` need beyond Python and Node, checked before
# anything else runs: installed with apt-get when this runs as root on Debian or Ubuntu, or else
# one message naming what is missing and exit status 1 (never a suite of stack traces later).
#
#   scripts/system_deps.sh run    # the CJK font (PDF and PNG documents) and gettext (msgfmt)
#   scripts/system_deps.sh test   # the same, Chromium (the browser tests) and redis-server (the
#                                 # tests of REDIS_URL start one of their own)
#
# It looks where the platform looks: CJK_FONT_PATHS (comma-separated files, the settings'
# default list otherwise), CHROMIUM_PATH (default /usr/bin/chromium, as the tests' conftest) and
# REDIS_SERVER_PATH (default: redis-server on PATH).
# SYSTEM_DEPS_INSTALL=0 never installs, only reports. It uses only bash's builtins and the
# commands it finds on PATH (id, apt-get, msgfmt), so a test can run it with a PATH of
# stand-ins and see every decision without uninstalling anything.
set -uo pipefail

DEFAULT_FONTS="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc,/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,/usr/share/fonts/truetype/arphic/uming.ttc"

purpose="${1:-test}"
case "$purpose" in
  run | test) ;;
  *)
    echo "usage: scripts/system_deps.sh run|test" >&2
    exit 64
    ;;
esac

have_cjk_font() {
  local font
  IFS=',' read -r -a fonts <<<"${CJK_FONT_PATHS:-$DEFAULT_FONTS}"
  for font in "${fonts[@]}"; do
    font="${font#"${font%%[![:space:]]*}"}"
    font="${font%"${font##*[![:space:]]}"}"
    [ -n "$font" ] && [ -f "$font" ] && return 0
  done
  return 1
}

missing() {
  local need=()
  if [ "$purpose" = test ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    need+=(chromium)
  fi
  have_cjk_font || need+=(fonts-wqy-microhei)
  command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
  if [ "$purpose" = test ] && [ ! -x "${REDIS_SERVER_PATH:-$(command -v redis-server)}" ]; then
    need+=(redis-server)
  fi
  echo "${need[*]}"
}

can_install() {
  [ "${SYSTEM_DEPS_INSTALL:-1}" != 0 ] || return 1
  command -v apt-get >/dev/null 2>&1 || return 1
  [ "$(id -u 2>/dev/null)" = 0 ]
}

need="$(missing)"
[ -z "$need" ] && exit 0

if can_install; then
  echo "== installing the system packages make $purpose needs: $need"
  # apt-get's own output goes to a log, so that a failure is still one message.
  log="${TMPDIR:-/tmp}/dualtrack-system-deps.log"
  # shellcheck disable=SC2086  # $need is a list of package names
  if apt-get update -qq >"$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >>"$log" 2>&1; then
    need="$(missing)"
    [ -z "$need" ] && exit 0
  fi
  echo "make $purpose: installing with apt-get did not provide: $need (apt-get's output is in" \
    "$log). Install them by hand (apt-get install -y $need), or set CJK_FONT_PATHS /" \
    "CHROMIUM_PATH / REDIS_SERVER_PATH to where yours are." >&2
  exit 1
fi

echo "make $purpose needs system packages that are missing: $need." \
  "Install them as root (sudo apt-get install -y $need) and run make $purpose again," \
  "or set CJK_FONT_PATHS / CHROMIUM_PATH / REDIS_SERVER_PATH to where yours are." >&2
exit 1
