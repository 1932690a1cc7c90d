#!/usr/bin/env bash
# Builds the local AWS emulator image offline from package registries only: a Debian bookworm
# minbase made by debootstrap, python3, moto in server mode from PyPI, imported with `docker import`
# (no registry pull, no BuildKit). Integration tests run it through Testcontainers when the official
# LocalStack image cannot be pulled. Idempotent: does nothing when the image exists.
set -euo pipefail

# The tag names the patches too: a patched moto is a new image.
IMAGE="${LIFFEY_EMULATOR_IMAGE:-liffey/moto-emulator:5.2.5-liffey-3}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "emulator image $IMAGE is already built"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

ROOT="$(mktemp -d /tmp/liffey-emulator-rootfs.XXXXXX)"
cleanup() {
  for m in proc sys dev; do umount -l "$ROOT/$m" 2>/dev/null || true; done
  rm -rf "$ROOT"
}
trap cleanup EXIT

echo "== debootstrap bookworm minbase into $ROOT"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$ROOT" "$MIRROR" >/dev/null

echo "== moto[server]==$MOTO_VERSION into /opt/moto"
# Wheels are fetched by the host's pip (its index, certificates and proxy settings) and installed in
# the image with no network at all; both sides run CPython 3.11.
mkdir -p "$ROOT/tmp/wheels"
python3 -m pip download --quiet --dest "$ROOT/tmp/wheels" --only-binary=:all: \
  --python-version 3.11 --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
  --platform manylinux_2_17_x86_64 --platform any "moto[server]==$MOTO_VERSION"
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" python3 -m venv /opt/moto
chroot "$ROOT" /opt/moto/bin/pip install --quiet --no-index --find-links /tmp/wheels --disable-pip-version-check \
  "moto[server]==$MOTO_VERSION"
cp "$(dirname "$0")/moto-patches.py" "$ROOT/tmp/"
chroot "$ROOT" /opt/moto/bin/python /tmp/moto-patches.py
umount -l "$ROOT/proc"
rm -rf "$ROOT/tmp/wheels" "$ROOT/tmp/moto-patches.py"
chroot "$ROOT" /opt/moto/bin/moto_server --help >/dev/null
rm -rf "$ROOT/var/cache/apt/archives"/*.deb "$ROOT/var/lib/apt/lists"/* "$ROOT/root/.cache"

echo "== docker import $IMAGE"
tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/opt/moto/bin:/usr/local/bin:/usr/bin:/bin' \
  --change 'CMD ["/opt/moto/bin/moto_server", "-H", "127.0.0.1", "-p", "5000"]' \
  - "$IMAGE" >/dev/null
echo "built $IMAGE"
