# The registry's image: the project is built into a virtual environment in one stage and
# copied alone into a small runtime stage that runs as an unprivileged user. Every
# dependency is installed at the version and hash of deploy/requirements.txt (the build
# backend at those of deploy/build-requirements.txt), so that a rebuild gets the same
# files. The bytecode is compiled at build time (a worker then starts in less than half
# the time) with hashes instead of timestamps, so it does not depend on the build's time.
# No secret is baked in: the keys, the passphrase and the database password come from the
# environment at run time (see compose.yaml and the README).
# Reproducible: built with --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), every
# file the build writes carries the commit's time instead of the build's, and BuildKit
# 0.11 or newer dates the image's configuration so too; two builds of one commit on one
# base then give the same image (README, "Operating it"; tests/test_container.py).
# The base is pinned by digest (a tag can be pushed again, a digest cannot); update it
# with tools/pin_base_image.sh. It must provide `python` (3.11) with venv; where Docker
# Hub cannot be reached, tools/build_local_base.sh makes a Debian bookworm one
# (--build-arg PYTHON_IMAGE=…).
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm@sha256:081075da77b2b55c23c088251026fb69a7b2bf92471e491ff5fd75c192fd38e5

FROM ${PYTHON_IMAGE} AS build
ARG SOURCE_DATE_EPOCH
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
# Dependencies before the code, so that a change to the code rebuilds only the last layers.
COPY deploy/requirements.txt deploy/build-requirements.txt ./deploy/
RUN python -m venv /opt/registry \
    && /opt/registry/bin/pip install --no-compile --require-hashes --no-deps \
       --requirement deploy/requirements.txt \
    && python -m venv /tools \
    && /tools/bin/pip install --require-hashes --no-deps \
       --requirement deploy/build-requirements.txt
COPY pyproject.toml README.md LICENSE ./
COPY schemas ./schemas
COPY registry ./registry
RUN /tools/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /tmp/wheel . \
    && /opt/registry/bin/pip install --no-compile --no-deps /tmp/wheel/*.whl \
    && /opt/registry/bin/pip check \
    && /opt/registry/bin/pip uninstall --quiet --yes pip setuptools \
    && find /opt/registry -name '__pycache__' -prune -exec rm -rf {} + \
    && PYTHONHASHSEED=0 /opt/registry/bin/python -m compileall -q -j 0 \
       --invalidation-mode unchecked-hash /opt/registry/lib \
    && if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then \
         find /opt -exec touch --no-dereference --date="@${SOURCE_DATE_EPOCH}" {} +; \
       fi

FROM ${PYTHON_IMAGE}
ARG SOURCE_DATE_EPOCH
# useradd dates the account by SOURCE_DATE_EPOCH too; what it wrote then takes that time.
RUN started="$(date +%s)" \
    && groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid registry --home-dir /var/lib/registry \
       --create-home --shell /usr/sbin/nologin registry \
    && if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then \
         find /etc /var -xdev -newermt "@$((started - 1))" ! -path /etc/hosts \
           ! -path /etc/hostname ! -path /etc/resolv.conf \
           -exec touch --no-dereference --date="@${SOURCE_DATE_EPOCH}" {} +; \
       fi
# /opt whole (it holds only the registry's environment): BuildKit then gives /opt itself
# the time it has in the build stage, not the time of the copy.
COPY --from=build /opt /opt
ENV PATH=/opt/registry/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REGISTRY_DATA_DIR=/var/lib/registry/data \
    REGISTRY_HOST=0.0.0.0 \
    REGISTRY_PORT=8000 \
    REGISTRY_LOG_FORMAT=json \
    REGISTRY_KEY_SEPARATION=require
USER registry:registry
WORKDIR /var/lib/registry
EXPOSE 8000
STOPSIGNAL SIGTERM
# The probe asks the port REGISTRY_PORT names: change the port with it, not with --port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('REGISTRY_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["registry"]
CMD ["serve", "--workers", "2"]
