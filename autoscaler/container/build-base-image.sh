#!/usr/bin/env bash
# Builds the daemon's base image offline from Debian's packages only: bookworm minbase with
# OpenJDK 17's headless JRE, made by debootstrap and loaded with `docker import` (no registry pull).
# Jib layers the daemon onto it (`mvn -pl autoscaler jib:buildTar`). Idempotent.
set -euo pipefail

IMAGE="${LIFFEY_BASE_IMAGE:-liffey/jre17-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE is already built"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

ROOT="$(mktemp -d /tmp/liffey-base-rootfs.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT

echo "== debootstrap bookworm minbase + openjdk-17-jre-headless into $ROOT"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$ROOT" "$MIRROR" >/dev/null
rm -rf "$ROOT/var/cache/apt/archives"/*.deb "$ROOT/var/lib/apt/lists"/* "$ROOT/usr/share/doc" "$ROOT/usr/share/man"
# The daemon runs as an unprivileged user with a read-only root file system.
echo "liffey:x:10001:10001:liffey:/nonexistent:/usr/sbin/nologin" >> "$ROOT/etc/passwd"
echo "liffey:x:10001:" >> "$ROOT/etc/group"

echo "== docker import $IMAGE"
tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  - "$IMAGE" >/dev/null
echo "built $IMAGE"
