#!/usr/bin/env bash
# Make a Debian bookworm base image with Python 3.11 locally, for building the registry's
# image where Docker Hub cannot be reached (no `python:3.11-slim` to pull).
set -euo pipefail

TAG="yrd-talent-registry-base:bookworm"
MIRROR="http://deb.debian.org/debian"

usage() {
    cat <<EOF
Usage: tools/build_local_base.sh [--tag TAG] [--mirror URL]

Builds a Debian bookworm root file system with debootstrap (variant minbase, plus
python3, python3-venv and python-is-python3: Debian's Python 3.11), adds the
certificate authorities this machine trusts locally (/usr/local/share/ca-certificates, so
that pip reaches PyPI through the same TLS-inspecting proxy as the host; Debian's pip uses
the system's bundle), drops apt's caches, documentation and translations, and imports it
into Docker as TAG (default: $TAG). Then build the registry on it:

    docker build --network host --build-arg PYTHON_IMAGE=$TAG -t yrd-talent-registry:local .

tests/test_container.py builds on this image when it is present and a Docker daemon
answers. Needs root, debootstrap, docker and a Debian mirror (default: $MIRROR);
takes a few minutes and about 300 MB of temporary space.
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --tag) TAG="${2:?--tag needs a value}"; shift 2 ;;
        --mirror) MIRROR="${2:?--mirror needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

for command in debootstrap docker; do
    if ! command -v "$command" >/dev/null 2>&1; then
        echo "$command is not installed (Debian: apt-get install debootstrap docker.io)" >&2
        exit 1
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "debootstrap needs root" >&2
    exit 1
fi

ROOTFS="$(mktemp -d)"
chmod 0755 "$ROOTFS"  # the image's root directory: mktemp makes it 0700, which locks out a non-root user
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,python-is-python3 \
    bookworm "$ROOTFS" "$MIRROR"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
    chroot "$ROOTFS" update-ca-certificates
fi
rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/* \
    "$ROOTFS"/var/log/* "$ROOTFS"/tmp/*
tar --numeric-owner -C "$ROOTFS" -c . \
    | docker import --change 'CMD ["python3"]' --change 'ENV LANG=C.UTF-8' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$TAG"
docker run --rm "$TAG" python -c 'import ensurepip, sys, venv; print(sys.version)'
echo "built $TAG"
