"""Uploads and letters on S3-compatible storage (GONGKAI_S3_BUCKET), against moto's S3 server.

The settings are the ones settings.py builds from the GONGKAI_S3_* variables; the server is a
real HTTP S3 endpoint on 127.0.0.1 (moto's ThreadedMotoServer), so django-storages and boto3 go
through their real network code. docs/deployment.md "Uploaded files".
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.outcomes import Outcome
from gongkai.core.backup import create_backup
from gongkai.letters import services as letters
from tests.deploy.helpers import ROOT, child_env
from tests.letters.factories import make_application, reply

moto_server = pytest.importorskip("moto.server", reason="moto[server] is a dev dependency")
boto3 = pytest.importorskip("boto3")

BUCKET = "gongkai-test-media"
KEY, SECRET = "test-access-key", "test-secret-key"
PDF = b"%PDF-1.4\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_storage(s3_endpoint) -> dict:
    return _configured_storage(s3_endpoint)


@pytest.fixture
def s3(s3_endpoint, s3_storage, settings, tmp_path):
    """STORAGES["default"] exactly as settings.py makes it from GONGKAI_S3_*; a fresh bucket."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage}
    settings.S3_BUCKET = BUCKET
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _configured_storage(endpoint: str) -> dict:
    """Run settings.py in a child with the GONGKAI_S3_* variables and return its storage."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES))"
    )
    env = child_env(
        Path(os.environ.get("GONGKAI_VAR_DIR", "/tmp")) / "s3-settings",
        GONGKAI_S3_BUCKET=BUCKET,
        GONGKAI_S3_ENDPOINT_URL=endpoint,
        GONGKAI_S3_ACCESS_KEY=KEY,
        GONGKAI_S3_SECRET_KEY=SECRET,
        GONGKAI_S3_REGION="us-east-1",
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["default"]


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_settings_make_a_private_s3_storage(s3, settings):
    config = settings.STORAGES["default"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private"
    assert config["OPTIONS"]["querystring_auth"] is True, "no unsigned public URLs"
    assert config["OPTIONS"]["file_overwrite"] is False


def test_request_attachment_is_stored_in_the_bucket_and_downloaded_by_staff(
    s3, world, client, settings
):
    from gongkai.applications import intake
    from tests.applications.test_intake import ARRIVED, applicant

    application = intake.create_application(
        world.league,
        applicant=applicant(),
        channel="online",
        arrived_at=ARRIVED,
        attachments=[SimpleUploadedFile("身份证.pdf", PDF)],
    )
    attachment = application.attachments.get()
    assert attachment.file.name in _keys(s3), "the attachment must be an object in the bucket"
    head = s3.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)
    public = [g for g in head["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]
    assert public == [], "attachments must not be readable by everyone"
    assert _files_under(Path(settings.MEDIA_ROOT)) == [], "nothing may land on the local disk"

    client.force_login(world.officer)
    url = reverse("applications_staff:attachment", args=[application.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF, "the download view streams the object"


def test_issued_letter_files_are_in_the_bucket_and_download_checked(s3, world, client, settings):
    application = make_application(world.league)
    event = reply(application, Outcome.DISCLOSED)
    letter = letters.issue(application, event, "reply_disclosed", inputs={}, actor=world.officer)
    assert {letter.docx.name, letter.pdf.name} <= _keys(s3), "both letter files are objects"
    assert _files_under(Path(settings.MEDIA_ROOT)) == []

    client.force_login(world.officer)
    response = client.get(reverse("letters_staff:download", args=[letter.pk, "pdf"]))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == letter.pdf_sha256


def test_a_taken_name_is_never_overwritten(s3):
    first = default_storage.save("letters/same.txt", SimpleUploadedFile("x", b"one"))
    second = default_storage.save("letters/same.txt", SimpleUploadedFile("x", b"two"))
    assert first != second, "a second file with the same name must get a new name"
    assert default_storage.open(first).read() == b"one"


def test_backup_says_that_media_is_in_the_bucket(s3, tmp_path):
    manifest = create_backup(tmp_path / "backup")
    assert [name for name in manifest["files"] if name.startswith("media/")] == []
    assert BUCKET in manifest["media_note"], "the backup must say where the uploads are"
