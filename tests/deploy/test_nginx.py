"""deploy/nginx/gongkai.conf in front of gunicorn, both really running on 127.0.0.1.

gunicorn serves a migrated SQLite database with one agency; nginx runs the rendered config in the
foreground with its own prefix, pid and logs, over TLS with a throw-away certificate. Skipped when
Debian's nginx is not installed (scripts/system-deps.sh installs it).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.helpers import BIN, ROOT, child_env, copy_database, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx 未安装（scripts/system-deps.sh 安装它）"
)

SERVER_NAME = "localhost"
SEED = """
import django, json; django.setup()
from django.conf import settings
from django.core.management import call_command
from gongkai.agencies.models import Agency, AgencyKind
call_command("createcachetable", verbosity=0)
Agency.objects.create(code="150000", name="内蒙古自治区人民政府", kind=AgencyKind.REGION_GOVERNMENT)
# Hashing without whitenoise's compression: the same manifest in seconds instead of a minute.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
call_command("collectstatic", interactive=False, verbosity=0)
"""


@dataclass
class Site:
    port: int
    http_port: int
    static_root: Path
    media_root: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        source: str = "127.0.0.1",
        body: bytes | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        context = ssl._create_unverified_context()  # the test's self-signed certificate
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=context, timeout=10, source_address=(source, 0)
        )
        try:
            conn.request(method, path, body=body, headers={"Host": SERVER_NAME, **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()


def _certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAME)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(SERVER_NAME)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def render_site_config(values: dict[str, str]) -> str:
    text = (ROOT / "deploy/nginx/gongkai.conf").read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    assert "{{" not in text, "every placeholder of deploy/nginx/gongkai.conf must be filled"
    return text


def _wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    import socket

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}: {log.read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"{what} did not listen on {port} within 15 s: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def site(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    var_dir = tmp_path_factory.mktemp("nginx-site")
    copy_database(migrated_sqlite, var_dir / "gongkai.sqlite3")
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    env = child_env(
        var_dir,
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        GONGKAI_HTTPS="1",
        GONGKAI_ALLOWED_HOSTS=f"{SERVER_NAME},127.0.0.1",
        GONGKAI_STATIC_ROOT=str(var_dir / "static"),
        GONGKAI_MEDIA_ROOT=str(var_dir / "media"),
    )
    subprocess.run([sys.executable, "-c", SEED], env=env, cwd=ROOT, check=True, timeout=120)
    (var_dir / "media").mkdir(exist_ok=True)
    (var_dir / "media" / "secret.txt").write_text("private attachment")

    gunicorn_log = var_dir / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "tests.deploy.probe_wsgi:application",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            "1",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--error-logfile",
            str(gunicorn_log),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    prefix = var_dir / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True)
    cert, key = _certificate(prefix)
    (prefix / "gongkai.conf").write_text(
        render_site_config(
            {
                "SERVER_NAME": SERVER_NAME,
                "UPSTREAM": f"127.0.0.1:{app_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
                "HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "TLS_CERT": str(cert),
                "TLS_KEY": str(key),
            }
        )
    )
    temp = prefix / "tmp"
    (prefix / "nginx.conf").write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/gongkai.conf;
}}
"""
    )
    nginx = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(prefix),
            "-e",
            str(prefix / "logs/error.log"),
            "-c",
            str(prefix / "nginx.conf"),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(app_port, gunicorn, "gunicorn", gunicorn_log)
        _wait_for_port(https_port, nginx, "nginx", prefix / "logs/error.log")
        yield Site(https_port, http_port, var_dir / "static", var_dir / "media")
    finally:
        _stop(nginx)
        _stop(gunicorn)


def test_public_page_is_served_through_nginx(site):
    response, body = site.request("GET", "/agencies/150000/")
    assert response.status == 200, body[:500]
    assert "内蒙古自治区人民政府" in body.decode()


def test_plain_http_is_redirected_to_https(site):
    conn = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    conn.request("GET", "/documents/", headers={"Host": SERVER_NAME})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{SERVER_NAME}/documents/"


def test_hashed_static_files_have_far_future_cache_headers(site):
    manifest = json.loads((site.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["gongkai/site.css"]
    response, body = site.request("GET", f"/static/{hashed}")
    assert response.status == 200 and body, "the static file must be served"
    cache = response.headers.get_all("Cache-Control")
    assert cache and len(cache) == 1, f"exactly one Cache-Control header: {cache}"
    assert "immutable" in cache[0] and "max-age=315360000" in cache[0], cache


def test_django_sees_https_and_the_real_client_address(site):
    _response, body = site.request(
        "GET",
        "/__probe__/client",
        source="127.0.0.2",  # the "client" connects from another loopback address than nginx's
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "http"},
    )
    seen = json.loads(body)
    assert seen["client"] == "127.0.0.2", (
        f"rate limits must see the real client, not a forged X-Forwarded-For: {seen}"
    )
    assert seen["scheme"] == "https", "nginx must overwrite X-Forwarded-Proto with https"


def test_too_large_upload_is_refused_by_nginx(site):
    context = ssl._create_unverified_context()
    conn = http.client.HTTPSConnection("127.0.0.1", site.port, context=context, timeout=10)
    conn.putrequest("POST", "/requests/150000/new/", skip_host=True)
    conn.putheader("Host", SERVER_NAME)
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Content-Length", str(61 * 1024 * 1024))  # above client_max_body_size 60m
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413, "nginx must refuse a body above client_max_body_size"
    conn.close()


def test_media_directory_is_not_served(site):
    assert (site.media_root / "secret.txt").exists()
    response, body = site.request("GET", "/media/secret.txt")
    assert response.status == 404
    assert b"private attachment" not in body


@pytest.mark.parametrize(
    "header",
    [
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ],
)
def test_security_headers_are_sent_exactly_once(site, header):
    response, _body = site.request("GET", "/agencies/150000/")
    values = response.headers.get_all(header) or []
    assert len(values) == 1, f"{header} must come once (from Django), got {values}"


def test_server_version_is_not_disclosed(site):
    response, _body = site.request("GET", "/media/x")
    assert response.getheader("Server") == "nginx"
