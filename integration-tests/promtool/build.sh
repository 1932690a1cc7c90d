#!/usr/bin/env bash
# Builds Prometheus's promtool from the Go module proxy (no binary download site is reachable here)
# and caches it outside the clone, keyed by its version and this script, so only the first run on a
# machine pays the build. Prints the path of the binary.
#
#   integration-tests/promtool/build.sh            build if missing, print the binary's path
#   LIFFEY_PROMTOOL_CACHE=/path ... build.sh       cache somewhere else
set -euo pipefail

PROMETHEUS_VERSION=0.316.0   # the Go module's version (Prometheus 3.x)

here=$(cd "$(dirname "$0")" && pwd)
key=$(sha256sum "$here/build.sh" | cut -c1-12)
cache="${LIFFEY_PROMTOOL_CACHE:-$HOME/.cache/liffey/promtool}/v$PROMETHEUS_VERSION-$key"
if [[ -x "$cache/promtool" ]]; then
  echo "$cache/promtool"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is needed to build promtool (apt-get install golang, or go.dev)" >&2; exit 1; }
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "build.sh: building promtool (github.com/prometheus/prometheus v$PROMETHEUS_VERSION) into $cache (first run only)" >&2
GOBIN="$work/bin" go install -trimpath -ldflags "-s -w" \
  "github.com/prometheus/prometheus/cmd/promtool@v$PROMETHEUS_VERSION"

mkdir -p "$(dirname "$cache")"
rm -rf "$cache.partial"
mv "$work/bin" "$cache.partial"
mv "$cache.partial" "$cache"
echo "$cache/promtool"
