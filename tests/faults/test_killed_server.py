"""A server killed in the middle of submissions leaves each request whole or not at all.

A real gunicorn serves a file database migrated with ``gongkai migrate`` (SQLite in a temporary
GONGKAI_VAR_DIR; on a PostgreSQL run, a fresh database on the same server). Client threads submit
requests continuously — through the JSON API and through the public form with an attachment —
while the test SIGKILLs the gunicorn worker at random moments (the master starts a new one). No
hook in the product code: the kills land wherever the worker happens to be. Afterwards every
request must have exactly one ``submitted`` event, a well-formed tracking code and all its
attachments with files matching their checksums; no event may lack its request.

A file written by a worker killed before its transaction committed stays on disk without a row
(nothing can remove it after SIGKILL); the check counts such files and requires only that no
*row* points to a missing or damaged file.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.core import signing
from django.db import connection
from django.utils.crypto import salted_hmac

from gongkai.core import captcha
from gongkai.core.identity import resident_id_check_char

KILLS = 15
CLIENTS = 4
SECRET_KEY = "faults-test-" + "k" * 40
CHECK = Path(__file__).with_name("killed_server_check.py")
ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n" + b"1" * 30000 + b"\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _resident_id(rng: random.Random) -> str:
    first = f"152201{rng.randint(1950, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(100, 999)}"
    return first + resident_id_check_char(first)


def _applicant(rng: random.Random) -> dict[str, str]:
    return {
        "applicant_type": "natural_person",
        "applicant_name": "测试申请人",
        "id_type": "resident_id",
        "id_number": _resident_id(rng),
        "phone": "13912345678",
        "email": "",
        "address": "乌兰浩特市兴安北大路1号",
        "postcode": "137400",
        "description": "请公开本机关2025年部门预算。",
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
    }


def _headers(rng: random.Random) -> dict[str, str]:
    # Each submission from another address, so the per-address limits do not refuse them.
    return {
        "X-Forwarded-For": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    }


def _solve(token: str) -> str:
    nonce = signing.loads(token, key=SECRET_KEY, salt=captcha.SALT)["n"]
    digest = salted_hmac(captcha.SALT, nonce, secret=SECRET_KEY, algorithm="sha256").digest()
    return "".join(captcha.ALPHABET[b % len(captcha.ALPHABET)] for b in digest[: captcha.LENGTH])


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match.group(1).replace("&amp;", "&") if match else ""


def _submit_api(base: str, rng: random.Random) -> int:
    body = {"agency": "152200", **_applicant(rng), "secret": "mima-123456"}
    body["submission_token"] = uuid.uuid4().hex
    return requests.post(
        f"{base}/api/v1/requests", json=body, headers=_headers(rng), timeout=10
    ).status_code


def _submit_form(base: str, rng: random.Random) -> int:
    session = requests.Session()
    headers = _headers(rng)
    page = session.get(f"{base}/requests/152200/new/", headers=headers, timeout=10).text
    token = _hidden(page, "captcha_token")
    data = {
        **_applicant(rng),
        "secret": "track-me-123",
        "secret_again": "track-me-123",
        "captcha_token": token,
        "captcha_answer": _solve(token),
        "submission_token": _hidden(page, "submission_token"),
        "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
    }
    files = {"attachments": ("身份证明.pdf", PDF, "application/pdf")}
    headers["Referer"] = f"{base}/requests/152200/new/"
    return session.post(
        f"{base}/requests/152200/new/",
        data=data,
        files=files,
        headers=headers,
        timeout=10,
        allow_redirects=False,
    ).status_code


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@pytest.fixture
def server_env(tmp_path):
    env = dict(os.environ)
    env.update(
        GONGKAI_VAR_DIR=str(tmp_path / "var"),
        GONGKAI_SECRET_KEY=SECRET_KEY,
        GONGKAI_DEBUG="1",  # plain static storage: no collectstatic (2 min) for one test
        GONGKAI_ALLOWED_HOSTS="127.0.0.1,localhost",
        GONGKAI_SQLITE_BUSY_TIMEOUT="20",
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    env.pop("GONGKAI_TODAY", None)
    database = None
    if connection.vendor == "postgresql":
        import psycopg

        database = f"gongkai_faults_{uuid.uuid4().hex[:8]}"
        server_url = os.environ["GONGKAI_DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        env["GONGKAI_DATABASE_URL"] = f"{server_url}/{database}"
    else:
        env.pop("GONGKAI_DATABASE_URL", None)
    (tmp_path / "var").mkdir()
    run = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*run, "createcachetable"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, str(CHECK), "seed"], env=env, check=True, cwd=ROOT)
    yield env
    if database:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_sigkilled_workers_leave_every_request_whole_or_absent(server_env, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "2", "--preload",  # workers fork ready to serve: a kill never lands in a boot
            "--graceful-timeout", "1", "--log-level", "error"],
        env=server_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(tmp_path / "gunicorn.log").open("wb"),
    )  # fmt: skip
    outcomes: dict[str, int] = {"ok": 0, "refused": 0, "broken": 0}
    stop = threading.Event()
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(number)
        while not stop.is_set():
            submit = _submit_form if rng.random() < 0.5 else _submit_api
            try:
                status = submit(base, rng)
                kind = "ok" if status in (201, 302) else "refused"
            except (requests.RequestException, signing.BadSignature):
                kind = "broken"  # the worker died under this request (or the form page)
            with lock:
                outcomes[kind] += 1

    try:
        for _i in range(100):  # wait for the server
            try:
                requests.get(f"{base}/requests/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        rng = random.Random(2026)
        kills = 0
        while kills < KILLS:
            time.sleep(rng.uniform(0.2, 0.9))
            workers = _workers(server.pid)
            if workers:
                os.kill(rng.choice(workers), signal.SIGKILL)
                kills += 1
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    report = json.loads(
        subprocess.run(
            [sys.executable, str(CHECK), "check"],
            env=server_env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    print(f"kills={kills} outcomes={outcomes} report={report}")
    assert kills == KILLS
    assert outcomes["ok"] > 0, f"no submission got through: {outcomes}"
    assert outcomes["broken"] > 0, f"no kill hit a request in flight: {outcomes}"
    assert report["problems"] == [], report["problems"]
    assert report["orphan_events"] == 0
    assert report["applications"] >= outcomes["ok"], "every acknowledged request is stored"
