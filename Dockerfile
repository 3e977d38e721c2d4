# syntax=docker/dockerfile:1
# The registry's image: the project is built into a virtual environment in one stage and
# copied alone into a small runtime stage that runs as an unprivileged user. Dependencies
# are installed at the versions of deploy/constraints.txt, so that a rebuild gets the same
# ones. No secret is baked in: the keys, the passphrase and the database password come
# from the environment at run time (see compose.yaml and the README's operator section).
# For a production build, pin the base by digest too: python:3.11.11-slim-bookworm@sha256:…
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY deploy/constraints.txt ./deploy/constraints.txt
COPY pyproject.toml README.md LICENSE ./
COPY schemas ./schemas
COPY registry ./registry
RUN python -m venv /opt/registry \
    && /opt/registry/bin/pip install --constraint deploy/constraints.txt . \
    && find /opt/registry -name '__pycache__' -prune -exec rm -rf {} +

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
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["registry"]
CMD ["serve", "--workers", "2"]
