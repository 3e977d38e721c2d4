"""The container files: what can be checked without Docker always is; the image is built
(twice: two builds of one commit must give the same image) and run, and compose.yaml
validated, where a Docker daemon answers. Without Docker Hub the image is built on the
local base that tools/build_local_base.sh makes."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from features.steps.command import environment
from registry.demo.data import DEMO_RECORDS
from registry.demo.seed import seed_demo
from registry.services.runtime.context import Registry
from tests.http.test_partner_rate_limit import redis_reachable
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import assert_no_id_numbers_in_output
from tests.support.keyset import test_keyset as demo_keyset
from tests.support.servers import free_port, wait_until

ROOT = Path(__file__).parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
REQUIREMENTS = ROOT / "deploy" / "requirements.txt"
LOCAL_BASE = "yrd-talent-registry-base:bookworm"  # tools/build_local_base.sh
IMAGE = "yrd-talent-registry:test"
REBUILT = "yrd-talent-registry:test-rebuilt"
BUILD_TIMEOUT = 1800  # seconds: a first build downloads every dependency
STARTUP = 90  # seconds
SECRETS = ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY")


def docker(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *arguments], capture_output=True, text=True, timeout=timeout, check=False
    )


def docker_daemon() -> str | None:
    """Why Docker cannot be used here, or ``None`` when a daemon answers."""
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    try:
        answered = docker("info", "--format", "{{.ServerVersion}}", timeout=30).returncode == 0
    except subprocess.TimeoutExpired:
        answered = False
    return None if answered else "the Docker daemon is not reachable"


def default_base() -> str:
    return re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE.read_text("utf-8"), re.M)[0]


def source_date_epoch() -> str:
    """The time of the commit built, as the README's reproducible build takes it."""
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode != 0 or not shown.stdout.strip().isdigit():
        pytest.skip(f"image not built: no git commit to date it by ({shown.stderr.strip()})")
    return shown.stdout.strip()


def build(tag: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``docker build`` of this tree as the README's reproducible build does it, on the
    local base when it is present."""
    arguments = ["--build-arg", f"SOURCE_DATE_EPOCH={source_date_epoch()}", *options]
    if docker("image", "inspect", LOCAL_BASE).returncode == 0:
        arguments += ["--build-arg", f"PYTHON_IMAGE={LOCAL_BASE}"]
    # the host's network: a daemon run without its own NAT rules gives builds no other way out
    return docker(
        "build", "--network", "host", *arguments, "--tag", tag, str(ROOT), timeout=BUILD_TIMEOUT
    )


def inspected(image: str, field: str) -> str:
    shown = docker("image", "inspect", "--format", "{{json " + field + "}}", image)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def pinned(requirement: str) -> set[str]:
    return {
        canonicalize_name(line.split("==")[0])
        for line in requirement.splitlines()
        if "==" in line and not line.startswith("#")
    }


def test_the_image_runs_as_a_non_root_user_from_a_pinned_base():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+@sha256:[0-9a-f]{64}", default_base())
    assert text.count("ARG SOURCE_DATE_EPOCH") == 2  # each stage dates what it writes
    assert "--invalidation-mode unchecked-hash" in text  # no build time in the bytecode
    assert text.count("FROM ${PYTHON_IMAGE}") == 2  # multi-stage, the base a build argument
    assert "# syntax=" not in text  # BuildKit would fetch that frontend from Docker Hub
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "--require-hashes --no-deps" in text
    assert "--requirement deploy/requirements.txt" in text
    assert "pip check" in text
    assert not re.search(r"(PASSPHRASE|HASH_KEY|ID_KEY|PASSWORD)\s*=", text)


def test_the_requirements_pin_every_runtime_dependency_with_its_hashes():
    text = REQUIREMENTS.read_text(encoding="utf-8")
    pins = pinned(text)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for dependency in project["project"]["dependencies"]:
        name = canonicalize_name(Requirement(dependency).name)
        assert name in pins, f"{dependency}: pin it (README, Operating it: pip-compile)"
    for pin, hashes in re.findall(r"^(\S+==\S+)(.*?)(?=^\S|\Z)", text, re.M | re.S):
        assert "--hash=sha256:" in hashes, pin
    build = (ROOT / "deploy" / "build-requirements.txt").read_text(encoding="utf-8")
    assert "hatchling" in pinned(build)
    assert build.count("==") <= build.count("--hash=sha256:")


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
    for name in SECRETS:
        assert environment[name].startswith("${"), name  # from .env, never written here
    proxy = services["caddy"]["networks"]["registry"]["ipv4_address"]
    assert environment["REGISTRY_TRUSTED_PROXIES"] == proxy
    assert services["registry"]["ports"] == ["127.0.0.1:8000:8000"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy registry:8000" in caddyfile
    assert "respond /metrics* 404" in caddyfile


def compose_command() -> list[str] | None:
    """``docker compose`` (the plugin), else Debian's ``docker-compose`` (v1, which reads
    the same file format), else ``None``."""
    if shutil.which("docker") and docker("compose", "version", timeout=30).returncode == 0:
        return ["docker", "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


def test_docker_compose_accepts_the_file():
    command = compose_command()
    if command is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed")
    environment = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "REGISTRY_DOMAIN": "talent.example.cn",
        "POSTGRES_PASSWORD": "x",
        "REGISTRY_KEY_PASSPHRASE": "x",
        "REGISTRY_HASH_KEY": "x",
        "REGISTRY_ID_KEY": "x",
    }
    checked = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def image() -> str:
    """The image built from this tree, on the local base when it is present (Docker Hub
    out of reach), else on the Dockerfile's default base."""
    problem = docker_daemon()
    if problem is not None:
        pytest.skip(f"image not built: {problem}")
    built = build(IMAGE)
    if (
        built.returncode != 0
        and docker("image", "inspect", LOCAL_BASE).returncode != 0
        and re.search(
            r"(pull access denied|failed to resolve source metadata|failed to fetch|"
            r"dial tcp|TLS handshake timeout|no such host|i/o timeout|lookup)",
            built.stderr,
            re.IGNORECASE,
        )
    ):
        pytest.skip(
            f"image not built: {default_base()} cannot be fetched and there is no "
            f"{LOCAL_BASE} (tools/build_local_base.sh makes it)"
        )
    assert built.returncode == 0, built.stderr[-3000:]
    return IMAGE


def test_the_image_runs_the_registry_as_an_unprivileged_user(image):
    user = docker("run", "--rm", "--entrypoint", "id", image, "-u")
    assert user.returncode == 0, user.stderr
    assert user.stdout.strip() == "10001"
    helped = docker("run", "--rm", image, "--help")
    assert helped.returncode == 0, helped.stderr
    assert "serve" in helped.stdout


def logs(container: str) -> str:
    written = docker("logs", container)
    return written.stdout + written.stderr


def test_two_builds_of_one_commit_are_the_same_image(image):
    """The same commit built once more from nothing (``--no-cache``: a second build from
    the first one's cache would prove nothing) is the same image: the same layers and the
    same configuration. One build more, no other."""
    created = datetime.fromisoformat(json.loads(inspected(image, ".Created")))
    if created.timestamp() != int(source_date_epoch()):
        pytest.skip(
            f"this builder dates the image by the build's time ({created.isoformat()}), not by "
            "SOURCE_DATE_EPOCH: a reproducible build needs BuildKit 0.11 or newer (Docker 23 "
            "or newer, or the buildx plugin), not the legacy builder"
        )
    try:
        built = build(REBUILT, "--no-cache")
        assert built.returncode == 0, built.stderr[-3000:]
        assert inspected(REBUILT, ".RootFS.Layers") == inspected(image, ".RootFS.Layers")
        assert inspected(REBUILT, ".Id") == inspected(image, ".Id")  # the configuration's digest
    finally:
        docker("image", "rm", REBUILT)


def health(container: str) -> str:
    return docker("inspect", "--format", "{{.State.Health.Status}}", container).stdout.strip()


@pytest.fixture
def container_name() -> Iterator[str]:
    name = f"registry-test-{secrets.token_hex(4)}"
    yield name
    docker("rm", "--force", name)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_image_migrates_postgresql_serves_and_scans_what_it_issued(
    image, settings, container_name
):
    """The image's `registry init` migrates an empty database; `registry serve` in it is
    ready (database, keys, Redis) and issues a record whose QR then scans as valid."""
    variables = {
        name: value
        for name, value in environment(settings).items()
        if name.startswith("REGISTRY_") and name != "REGISTRY_DATA_DIR"
    }
    if redis_reachable():
        variables["REGISTRY_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    options = ["--network", "host"]
    for name, value in variables.items():
        options += ["--env", f"{name}={value}"]
    migrated = docker("run", "--rm", *options, image, "init", timeout=300)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    opened = Registry.open(settings)  # keys and migrations as the image left them
    try:
        demo = seed_demo(opened, now=datetime.now(UTC), keyset=demo_keyset())
    finally:
        opened.close()
    port = free_port()
    options += ["--env", f"REGISTRY_PORT={port}", "--health-interval", "1s"]
    # the image's own command (serve, two workers), probed by the image's own HEALTHCHECK
    started = docker("run", "--detach", "--name", container_name, *options, image)
    assert started.returncode == 0, started.stderr
    url = f"http://127.0.0.1:{port}"
    wait_until(
        lambda: health(container_name) == "healthy", STARTUP, lambda: logs(container_name), 0.5
    )
    ready = httpx.get(url + "/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["database"] == checks["keys"] == "ok", checks
    if "REGISTRY_REDIS_URL" in variables:
        assert checks["redis"] == "ok", checks
    assert httpx.get(url + "/healthz", timeout=5).status_code == 200
    title = next(
        r for r in DEMO_RECORDS if r.credential["type"][1] == "ProfessionalTitleCredential"
    )
    issued = httpx.post(
        url + "/credentials/issue",
        json={"credential": title.issuance_request()},
        headers=issuer_headers(demo, title.issuer_uscc),
        timeout=60,
    )
    assert issued.status_code == 201, issued.text
    scanned = httpx.post(
        url + "/api/v1/scan", json={"payload": issued.json()["qr"]["payload"]}, timeout=30
    )
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["verified"] is True, scanned.text
    docker("stop", "--time", "40", container_name, timeout=60)
    written = logs(container_name)
    assert_no_id_numbers_in_output(written)
    assert "Shutting down" in written
