#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy (no binary download site is reachable
# here) and caches the stripped binaries outside the clone, keyed by their versions and this
# script, so only the first run on a machine pays the ~6 min build. Prints the cache directory.
#
#   integration-tests/kube-apiserver/build.sh            build if missing, print the directory
#   LIFFEY_KUBE_CACHE=/path ... build.sh                 cache somewhere else
set -euo pipefail

KUBE_VERSION=1.34.4
ETCD_VERSION=3.6.4   # what Kubernetes 1.34 pins
# Staging modules the proxy serves only up to an older patch; the rest follow KUBE_VERSION.
declare -A OLDER=([cli-runtime]=0.34.2 [code-generator]=0.34.2 [kube-proxy]=0.34.2 [sample-apiserver]=0.34.2)
# Staging modules with no published v0.34.x and nothing the API server needs.
DROPPED="sample-cli-plugin sample-controller"

here=$(cd "$(dirname "$0")" && pwd)
key=$(sha256sum "$here/build.sh" | cut -c1-12)
cache="${LIFFEY_KUBE_CACHE:-$HOME/.cache/liffey/kube}/v$KUBE_VERSION-etcd$ETCD_VERSION-$key"
if [[ -x "$cache/kube-apiserver" && -x "$cache/etcd" ]]; then
  echo "$cache"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is needed to build kube-apiserver (apt-get install golang, or go.dev)" >&2; exit 1; }
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

module_dir() { # the module's directory in the module cache, downloading it if needed
  (cd "$work" && go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
}

echo "build.sh: building kube-apiserver v$KUBE_VERSION and etcd v$ETCD_VERSION into $cache (first run only, ~6 min)" >&2
mkdir -p "$work/bin"

# kube-apiserver: the module zip has neither staging/ nor a usable vendor/, so its staging
# replaces are pointed at the published modules.
cp -r "$(module_dir k8s.io/kubernetes@v$KUBE_VERSION)" "$work/kubernetes"
chmod -R u+w "$work/kubernetes"
cd "$work/kubernetes"
rm -rf go.work go.work.sum vendor
for m in $DROPPED; do
  sed -i "/k8s.io\/$m /d" go.mod
done
sed -i -E 's#^(\s*)k8s.io/([a-z-]+) => \./staging/src/k8s.io/[a-z-]+$#\1k8s.io/\2 => k8s.io/\2 vREPLACE_\2#' go.mod
for m in $(grep -oE 'vREPLACE_[a-z-]+' go.mod | sed 's/vREPLACE_//' | sort -u); do
  sed -i "s#vREPLACE_$m\$#v${OLDER[$m]:-0.${KUBE_VERSION#1.}}#" go.mod
done
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(cut -d. -f2 <<<"$KUBE_VERSION")"
ldflags="$ldflags -X k8s.io/component-base/version.gitTreeState=clean"
go build -trimpath -ldflags "$ldflags" -o "$work/bin/kube-apiserver" ./cmd/kube-apiserver

# etcd: its server module's relative replaces point at the published modules of the same version.
cp -r "$(module_dir go.etcd.io/etcd/server/v3@v$ETCD_VERSION)" "$work/etcd"
chmod -R u+w "$work/etcd"
cd "$work/etcd"
for m in api client/pkg client/v3 pkg; do
  module="go.etcd.io/etcd/$m"
  [[ $module == */v3 ]] || module="$module/v3"
  sed -i -E "s#=> \.\./$m\$#=> $module v$ETCD_VERSION#" go.mod
done
go build -trimpath -ldflags "-s -w" -o "$work/bin/etcd" .

mkdir -p "$(dirname "$cache")"
rm -rf "$cache.partial"
mv "$work/bin" "$cache.partial"
mv "$cache.partial" "$cache"
echo "$cache"
