"""A full disk during an upload: a clear Chinese refusal, no half-written row, no partial file.

The storage is made to fail the way a full disk does: Django's file-system storage has opened the
target file and written part of the bytes when ``write`` raises ``OSError(ENOSPC)``. The fake
below does exactly that — it leaves the partial file behind — so the tests also prove that the
partial file is removed (gongkai.core.files.save_upload).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake
from gongkai.applications.models import Application, Attachment, Channel, Event
from gongkai.core.dates import SHANGHAI, override_today
from gongkai.core.files import StorageFull
from gongkai.publications.models import Attachment as DocumentAttachment
from tests.applications.conftest import applicant
from tests.applications.test_public_views import form_data, new_url, open_form
from tests.factories import AgencyFactory
from tests.publications.factories import draft

PDF = b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n"
FULL = "服务器存储空间不足"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def disk_full(monkeypatch):
    """Every file save writes 100 bytes, then fails with ENOSPC (after ``allow`` good saves)."""
    state = {"allow": 0, "failed": 0}
    real_save = FileSystemStorage._save

    def save(self, name, content):
        if state["allow"] > 0:
            state["allow"] -= 1
            return real_save(self, name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(next(iter(content.chunks()))[:100])  # the part that fitted
        state["failed"] += 1
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return state


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_public_form_refuses_the_upload_clearly_and_keeps_nothing(client, db, media, disk_full):
    agency = AgencyFactory(code="152200", name="兴安盟行政公署", short_name="兴安盟")
    data = form_data(open_form(client, agency))
    data["attachments"] = SimpleUploadedFile("身份证明.pdf", PDF, content_type="application/pdf")
    response = client.post(new_url(agency), data)
    page = response.content.decode()
    assert disk_full["failed"] == 1, "the fault was injected"
    assert response.status_code == 200, "the form comes back, not a 500"
    assert FULL in page, "the applicant reads why nothing was saved"
    assert not Application.objects.exists() and not Event.objects.exists()
    assert not Attachment.objects.exists()
    assert files_under(media) == [], "the partly written file was removed"


def test_a_failure_on_the_second_file_removes_the_first_one_too(db, media, disk_full):
    agency = AgencyFactory(code="152200")
    disk_full["allow"] = 1
    uploads = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in ("一", "二")]
    with override_today(dt.date(2026, 3, 2)), pytest.raises(StorageFull) as caught:
        intake.create_application(
            agency,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
            attachments=uploads,
        )
    assert caught.value.field == "attachments" and FULL in caught.value.message
    assert not Application.objects.exists()
    assert files_under(media) == [], "the first, complete file went with the rolled-back request"


def test_a_staff_document_attachment_is_refused_clearly_and_keeps_nothing(
    client, world, media, disk_full
):
    with override_today(dt.date(2026, 3, 16)):
        document = draft(world.officer, world.league)
        client.force_login(world.officer)
        response = client.post(
            reverse("publications_staff:upload", args=[document.pk]),
            {"file": SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")},
            follow=True,
        )
    assert disk_full["failed"] == 1, "the fault was injected"
    assert response.status_code == 200
    assert FULL in response.content.decode(), "the officer reads why the file was not attached"
    assert not DocumentAttachment.objects.filter(document=document).exists()
    assert files_under(media) == [], "the partly written file was removed"


def test_other_storage_errors_still_remove_the_partial_file(db, media, monkeypatch):
    real_save = FileSystemStorage._save

    def save(self, name, content):
        real_save(self, name, content)
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    agency = AgencyFactory(code="152200")
    with override_today(dt.date(2026, 3, 2)), pytest.raises(OSError):
        intake.create_application(
            agency,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
            attachments=[SimpleUploadedFile("a.pdf", PDF)],
        )
    assert not Application.objects.exists()
    assert files_under(media) == []
