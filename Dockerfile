# The registry's image: the project is built into a virtual environment in one stage and
# copied alone into a small runtime stage that runs as an unprivileged user. Every
# dependency is installed at the version and hash of deploy/requirements.txt (the build
# backend at those of deploy/build-requirements.txt), so that a rebuild gets the same
# files. The bytecode is compiled at build time (a worker then starts in less than half
# the time) with hashes instead of timestamps, so it does not depend on the build's time.
# No secret is baked in: the keys, the passphrase and the database password come from the
# environment at run time (see compose.yaml and the README).
# For a production build, pin the base by digest too: python:3.11.11-slim-bookworm@sha256:…
# The base must provide `python` (3.11) with venv; where Docker Hub cannot be reached,
# tools/build_local_base.sh makes a Debian bookworm one (--build-arg PYTHON_IMAGE=…).
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
# Dependencies before the code, so that a change to the code rebuilds only the last layers.
COPY deploy/requirements.txt deploy/build-requirements.txt ./deploy/
RUN python -m venv /opt/registry \
    && /opt/registry/bin/pip install --no-compile --require-hashes --no-deps \
       --requirement deploy/requirements.txt \
    && python -m venv /opt/build \
    && /opt/build/bin/pip install --require-hashes --no-deps \
       --requirement deploy/build-requirements.txt
COPY pyproject.toml README.md LICENSE ./
COPY schemas ./schemas
COPY registry ./registry
RUN /opt/build/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /tmp/wheel . \
    && /opt/registry/bin/pip install --no-compile --no-deps /tmp/wheel/*.whl \
    && /opt/registry/bin/pip check \
    && /opt/registry/bin/pip uninstall --quiet --yes pip setuptools \
    && find /opt/registry -name '__pycache__' -prune -exec rm -rf {} + \
    && /opt/registry/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash \
       /opt/registry/lib

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid registry --home-dir /var/lib/registry \
       --create-home --shell /usr/sbin/nologin registry
COPY --from=build /opt/registry /opt/registry
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
