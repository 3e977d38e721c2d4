#!/usr/bin/env bash
# Pin the Dockerfile's base image to the digest its tag names today.
set -euo pipefail

DOCKERFILE="$(dirname "$0")/../Dockerfile"

usage() {
    cat <<EOF
Usage: tools/pin_base_image.sh [TAG]

Pulls TAG (default: the tag the Dockerfile's PYTHON_IMAGE names now, e.g.
python:3.11.11-slim-bookworm) and rewrites the Dockerfile's default to TAG@sha256:…, the
digest of what was pulled (for a multi-platform tag, that of its index, so that every
platform stays pinned). A tag can be pushed again with other contents; a digest cannot,
so a pinned base keeps two builds of one commit identical. Review and commit the change,
then rebuild. Needs docker and the registry that serves TAG (Docker Hub for python:…).
EOF
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
esac
current="$(sed -n 's/^ARG PYTHON_IMAGE=//p' "$DOCKERFILE")"
tag="${1:-${current%@*}}"
if [[ "$tag" == *@* ]]; then
    echo "give a tag, not a digest: $tag" >&2
    exit 2
fi
docker pull --quiet "$tag" >/dev/null
repo_digest="$(docker image inspect --format '{{index .RepoDigests 0}}' "$tag")"
digest="${repo_digest#*@}"
if [[ ! "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "no digest for $tag (docker answered: $repo_digest)" >&2
    exit 1
fi
sed -i "s|^ARG PYTHON_IMAGE=.*|ARG PYTHON_IMAGE=${tag}@${digest}|" "$DOCKERFILE"
echo "Dockerfile: ARG PYTHON_IMAGE=${tag}@${digest}"
