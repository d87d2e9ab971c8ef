"""Uploads: request attachments (applications.uploads) and document attachments
(publications.attachments) — size caps, content sniffing, file names, storage, downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import uploads
from gongkai.applications.models import Attachment
from gongkai.core.errors import DomainError
from gongkai.publications import attachments
from gongkai.publications import services as publications
from tests.letters.factories import make_application
from tests.security.seed import PDF, _document

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'

#: (module, check function, size cap) — both upload paths must pass every test below.
CHECKERS = [
    pytest.param(uploads.check_upload, uploads.MAX_FILE_BYTES, id="request-attachments"),
    pytest.param(attachments.check_file, attachments.MAX_FILE_BYTES, id="document-attachments"),
]
NAMERS = [
    pytest.param(uploads.display_name, id="request-attachments"),
    pytest.param(attachments.display_name, id="document-attachments"),
]
HANDLERS = [
    pytest.param(uploads.UploadLimitHandler, uploads.MAX_FILE_BYTES, id="request-attachments"),
    pytest.param(attachments.AttachmentLimitHandler, attachments.MAX_FILE_BYTES, id="documents"),
]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def _code(check, file) -> str:
    with pytest.raises(DomainError) as caught:
        check(file)
    return caught.value.code


# --- content sniffing ------------------------------------------------------------------------


@pytest.mark.parametrize(("check", "_cap"), CHECKERS)
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.pdf", EXE),  # a program renamed .pdf
        ("报告.pdf", HTML),
        ("photo.png", SVG),
        ("photo.jpg", HTML),
        ("文件.docx", b"PK\x03\x04" + b"\x00" * 40),  # a zip, but not a Word document
    ],
    ids=["exe-as-pdf", "html-as-pdf", "svg-as-png", "html-as-jpg", "fake-docx"],
)
def test_content_that_does_not_match_the_extension_is_refused(check, _cap, name, data):
    assert _code(check, upload(name, data)).endswith("content_mismatch")


@pytest.mark.parametrize(("check", "_cap"), CHECKERS)
@pytest.mark.parametrize("name", ["page.html", "image.svg", "setup.exe", "run.js", "noext"])
def test_active_and_unknown_types_are_refused_by_name(check, _cap, name):
    assert _code(check, upload(name, HTML)).endswith("type_not_allowed")


@pytest.mark.parametrize(("check", "_cap"), CHECKERS)
def test_a_real_pdf_and_docx_pass(check, _cap):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert check(upload("通知.pdf", PDF)).extension == "pdf"
    assert check(upload("通知.docx", buffer.getvalue())).extension == "docx"


# --- size caps -------------------------------------------------------------------------------


@pytest.mark.parametrize(("handler_class", "cap"), HANDLERS)
def test_the_upload_handler_stops_storing_past_the_cap(handler_class, cap):
    handler = handler_class(None)
    handler.new_file("file", "大文件.pdf", "application/pdf", None)
    chunk = b"\x00" * (1024 * 1024)
    kept = sum(
        len(handler.receive_data_chunk(chunk, i * len(chunk)) or b"")
        for i in range(cap // len(chunk) + 3)
    )
    assert kept <= cap, "bytes past the cap were passed on to storage"
    placeholder = handler.file_complete(kept)
    assert placeholder is not None and placeholder.too_large


@pytest.mark.parametrize(("check", "cap"), CHECKERS)
def test_oversized_and_empty_files_are_refused(check, cap):
    big = upload("大文件.pdf", PDF)
    big.size = cap + 1
    assert _code(check, big).endswith("too_large")
    assert _code(check, upload("空.pdf", b"")).endswith("empty")


def test_a_request_takes_at_most_five_files_and_50_mb_in_all():
    six = [upload(f"{n}.pdf", PDF) for n in range(uploads.MAX_FILES + 1)]
    with pytest.raises(DomainError, match="最多上传"):
        uploads.check_uploads(six)
    files = [upload(f"{n}.pdf", PDF) for n in range(3)]
    for f in files:
        f.size = uploads.MAX_FILE_BYTES
    with pytest.raises(DomainError, match="合计超过"):
        uploads.check_uploads(files)


# --- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize("display_name", NAMERS)
@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("bad\x00name.pdf", "badname.pdf"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("...", "file"),
        ("关于2026年预算的通知（附件一）.pdf", "关于2026年预算的通知（附件一）.pdf"),
    ],
)
def test_names_lose_paths_and_control_characters_and_keep_cjk(display_name, given, shown):
    assert display_name(given) == shown


@pytest.mark.parametrize("display_name", NAMERS)
def test_very_long_names_are_cut_keeping_the_extension(display_name):
    name = display_name("长" * 500 + ".pdf")
    assert len(name) <= 200 and name.endswith(".pdf") and name.startswith("长")


# --- storage and downloads -------------------------------------------------------------------


@pytest.fixture
def stored(world, settings, tmp_path):
    """A request attachment and a published document's attachment, stored through the code."""
    settings.MEDIA_ROOT = tmp_path / "media"
    application = make_application(world.league)
    checked = uploads.check_upload(upload("../../身份证明.pdf", PDF))
    item = Attachment.objects.create(
        application=application,
        file=ContentFile(PDF, name=checked.stored_name()),
        original_name=checked.original_name,
        stored_name=checked.stored_name(),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    document = _document(world.officer, world.league, "附件下载测试")
    attachment = publications.add_attachment(
        world.officer, document, upload("<b>附件</b>.pdf", PDF)
    )
    publications.submit(world.officer, document)
    publications.review_and_publish(world.reviewer, document, note="不涉密")
    return application, item, document, attachment


def test_stored_names_are_random_and_keep_no_user_text(stored):
    _application, item, _document, attachment = stored
    for path in (item.file.name, attachment.file.name):
        assert "身份证明" not in path and "附件" not in path and ".." not in path, path
    assert item.original_name == "身份证明.pdf"


def test_media_root_is_not_served_by_url(client, stored, settings):
    _application, item, _document, attachment = stored
    for path in (item.file.name, attachment.file.name):
        response = client.get(settings.MEDIA_URL + path)
        assert response.status_code == 404, f"{path} is reachable by URL"


def _assert_download(response, where: str) -> None:
    assert response.status_code == 200, where
    assert response["Content-Disposition"].startswith("attachment;"), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert "text/html" not in response["Content-Type"], where


def test_downloads_are_attachments_with_nosniff(client, world, stored):
    application, item, document, attachment = stored
    public = client.get(
        reverse("publications:download", args=[world.league.code, document.pk, attachment.pk])
    )
    _assert_download(public, "public document attachment")
    client.force_login(world.officer)
    _assert_download(
        client.get(reverse("applications_staff:attachment", args=[application.pk, item.pk])),
        "request attachment",
    )
    _assert_download(
        client.get(reverse("publications_staff:attachment", args=[document.pk, attachment.pk])),
        "staff document attachment",
    )


def test_a_draft_documents_attachment_is_not_public(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = _document(world.officer, world.league, "草稿")
    attachment = publications.add_attachment(world.officer, document, upload("a.pdf", PDF))
    url = reverse("publications:download", args=[world.league.code, document.pk, attachment.pk])
    assert client.get(url).status_code == 404
