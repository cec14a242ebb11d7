#!/bin/sh
# Renders a `lockstep rehearse --report` page to a PNG with headless Chromium, as a person would see it.
#
#   scripts/render-report.sh report.html report.png [WIDTHxHEIGHT]
#
# Needs Debian's `chromium` (apt-get install -y chromium). The report is self-contained, so Chromium is
# kept off the network: no background requests, no component updates, a throwaway profile. When run as
# root (as in CI containers) Chromium needs --no-sandbox.
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTHxHEIGHT]" >&2
  exit 2
fi
report=$1
out=$2
size=${3:-1400x1800}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "$0: chromium is not installed (apt-get install -y chromium)" >&2
  exit 3
fi
if [ ! -f "$report" ]; then
  echo "$0: $report: no such file" >&2
  exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
absolute=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$out" --window-size="$(echo "$size" | tr x ,)" "file://$absolute" >/dev/null 2>&1
test -s "$out"
echo "$out"
