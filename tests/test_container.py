"""The container files: what can be checked without Docker always is; the image is built
and compose.yaml validated where a Docker daemon (and its registry) can be reached."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
BUILD_TIMEOUT = 900  # seconds


def docker_daemon() -> str | None:
    """Why Docker cannot be used here, or ``None`` when a daemon answers."""
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    probe = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        return "the Docker daemon is not reachable"
    return None


def test_the_image_runs_as_a_non_root_user_from_a_pinned_base():
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert bases and re.fullmatch(r"python:3\.11\.\d+-slim-\w+", bases[0]), bases
    assert text.count("FROM ${PYTHON_IMAGE}") == 2  # multi-stage
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "--constraint deploy/constraints.txt" in text
    assert not re.search(r"(PASSPHRASE|HASH_KEY|ID_KEY|PASSWORD)\s*=", text)


def test_the_constraints_pin_every_runtime_dependency():
    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "deploy" / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    for needed in ("litestar", "uvicorn", "uvloop", "httptools", "prometheus-client", "psycopg"):
        assert needed in pins, needed


def test_compose_migrates_before_serving_with_healthchecks_and_no_secret_in_it():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "registry", "caddy"}
    assert services["migrate"]["command"] == ["init"]
    waits = services["registry"]["depends_on"]
    assert waits["migrate"]["condition"] == "service_completed_successfully"
    assert waits["redis"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "registry"):
        assert "healthcheck" in services[name], name
    assert "/readyz" in " ".join(services["registry"]["healthcheck"]["test"])
    environment = services["registry"]["environment"]
    for name in ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY"):
        assert environment[name].startswith("${"), name  # from .env, never written here
    proxy = services["caddy"]["networks"]["registry"]["ipv4_address"]
    assert environment["REGISTRY_TRUSTED_PROXIES"] == proxy
    assert services["registry"]["ports"] == ["127.0.0.1:8000:8000"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy registry:8000" in caddyfile
    assert "respond /metrics* 404" in caddyfile


def test_docker_compose_accepts_the_file():
    if shutil.which("docker") is None:
        pytest.skip("the docker command is not installed")
    version = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=30, check=False
    )
    if version.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    environment = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "REGISTRY_DOMAIN": "talent.example.cn",
        "POSTGRES_PASSWORD": "x",
        "REGISTRY_KEY_PASSPHRASE": "x",
        "REGISTRY_HASH_KEY": "x",
        "REGISTRY_ID_KEY": "x",
    }
    checked = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_image_builds():
    problem = docker_daemon()
    if problem is not None:
        pytest.skip(f"image not built: {problem}")
    built = subprocess.run(
        ["docker", "build", "--quiet", "--tag", "yrd-talent-registry:test", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if built.returncode != 0 and re.search(
        r"(pull access denied|failed to resolve source metadata|failed to fetch|"
        r"dial tcp|TLS handshake timeout|no such host|i/o timeout)",
        built.stderr,
        re.IGNORECASE,
    ):
        pytest.skip("image not built: the base image cannot be fetched from its registry")
    assert built.returncode == 0, built.stderr[-3000:]
    user = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "id", "yrd-talent-registry:test", "-u"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert user.stdout.strip() not in ("", "0")
