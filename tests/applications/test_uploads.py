"""Attachment checks: size limits, content sniffing against the extension, safe names."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongkai.applications import uploads
from gongkai.core.errors import DomainError


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("申请公开的信息")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "清单"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def ole_bytes(stream: str) -> bytes:
    """A compound-file header followed by a directory entry naming ``stream``."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ALLOWED = {
    "申请.pdf": (PDF, "application/pdf"),
    "photo.JPG": (jpeg_bytes(), "image/jpeg"),
    "photo.jpeg": (jpeg_bytes(), "image/jpeg"),
    "scan.png": (png_bytes(), "image/png"),
    "letter.docx": (docx_bytes(), uploads.CONTENT_TYPES["docx"]),
    "list.xlsx": (xlsx_bytes(), uploads.CONTENT_TYPES["xlsx"]),
    "old.doc": (ole_bytes("WordDocument"), "application/msword"),
    "old.xls": (ole_bytes("Workbook"), "application/vnd.ms-excel"),
    "说明.txt": ("请公开2025年预算。".encode(), "text/plain"),
    "gbk.txt": ("请公开2025年预算。".encode("gb18030"), "text/plain"),
    "invoice.ofd": (zip_bytes("OFD.xml", "Doc_0/Document.xml"), "application/ofd"),
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_allowed_type_with_matching_content_is_accepted(name):
    content, expected_type = ALLOWED[name]
    checked = uploads.check_upload(upload(name, content))
    assert checked.content_type == expected_type
    assert checked.size == len(content)


def test_the_sha256_of_the_content_is_recorded():
    import hashlib

    checked = uploads.check_upload(upload("a.pdf", PDF))
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


MISMATCHES = [
    ("fake.pdf", png_bytes()),
    ("fake.png", PDF),
    ("fake.jpg", b"GIF89a......"),
    ("fake.docx", xlsx_bytes()),
    ("fake.xlsx", docx_bytes()),
    ("fake.docx", zip_bytes("evil.exe")),
    ("fake.doc", ole_bytes("Workbook")),
    ("fake.xls", ole_bytes("WordDocument")),
    ("fake.ofd", docx_bytes()),
    ("binary.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("notutf.txt", b"\xff\xfe\xfa\xfb\xfc"),
]


@pytest.mark.parametrize(("name", "content"), MISMATCHES)
def test_content_that_does_not_match_the_extension_is_refused_naming_the_file(name, content):
    with pytest.raises(DomainError) as caught:
        uploads.check_upload(upload(name, content, "application/pdf"))
    assert name in caught.value.message and "不符" in caught.value.message, caught.value.message
    assert caught.value.field == "attachments"


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "archive.zip", "noextension", "x.svg"])
def test_a_type_that_is_not_allowed_is_refused_naming_the_file(name):
    with pytest.raises(DomainError) as caught:
        uploads.check_upload(upload(name, PDF))
    assert name in caught.value.message and "不允许" in caught.value.message


def test_the_browser_supplied_content_type_is_ignored():
    with pytest.raises(DomainError):
        uploads.check_upload(upload("x.exe", b"MZ..", "application/pdf"))
    checked = uploads.check_upload(upload("x.pdf", PDF, "application/x-msdownload"))
    assert checked.content_type == "application/pdf"


def test_a_file_over_20_mb_is_refused(monkeypatch):
    big = upload("big.pdf", PDF + b"0" * (uploads.MAX_FILE_BYTES + 1 - len(PDF)))
    with pytest.raises(DomainError) as caught:
        uploads.check_upload(big)
    assert "big.pdf" in caught.value.message and "20 MB" in caught.value.message


def test_a_file_of_exactly_20_mb_is_accepted():
    exact = upload("exact.pdf", PDF + b"0" * (uploads.MAX_FILE_BYTES - len(PDF)))
    assert uploads.check_upload(exact).size == uploads.MAX_FILE_BYTES


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError) as caught:
        uploads.check_upload(upload("empty.pdf", b""))
    assert "空文件" in caught.value.message


def test_more_than_five_files_are_refused():
    files = [upload(f"{i}.pdf", PDF) for i in range(uploads.MAX_FILES + 1)]
    with pytest.raises(DomainError) as caught:
        uploads.check_uploads(files)
    assert "5" in caught.value.message


def test_files_together_over_50_mb_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 2 * len(PDF) - 1)
    with pytest.raises(DomainError) as caught:
        uploads.check_uploads([upload("a.pdf", PDF), upload("b.pdf", PDF)])
    assert "合计" in caught.value.message


def test_the_stored_name_is_random_and_keeps_only_the_extension():
    checked = uploads.check_upload(upload("../../etc/我的 申请.PDF", PDF))
    first, second = checked.stored_name(), checked.stored_name()
    assert first != second
    assert first.endswith(".pdf") and len(first) == 36 and "/" not in first and ".." not in first


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\身份证.jpg", "身份证.jpg"),
        ("bad\x00name\x1b.pdf", "badname.pdf"),
        ("...", "file"),
    ],
)
def test_the_original_name_is_kept_for_display_without_path_or_control_characters(given, shown):
    assert uploads.display_name(given) == shown


def test_a_very_long_original_name_is_shortened_but_keeps_its_extension():
    name = uploads.display_name("长" * 300 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")


class FakeRequest:
    pass


def test_the_upload_handler_stops_storing_a_file_once_it_passes_the_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10)
    handler = uploads.UploadLimitHandler(FakeRequest())
    handler.new_file("file", "big.pdf", "application/pdf", 30)
    passed = [handler.receive_data_chunk(b"x" * 8, 0), handler.receive_data_chunk(b"x" * 8, 8)]
    assert passed == [b"x" * 8, None], "the chunk that crosses the limit must be swallowed"
    result = handler.file_complete(16)
    assert getattr(result, "too_large", False) and result.name == "big.pdf"
    with pytest.raises(DomainError) as caught:
        uploads.check_upload(result)
    assert "big.pdf" in caught.value.message


def test_the_upload_handler_passes_small_files_on():
    handler = uploads.UploadLimitHandler(FakeRequest())
    handler.new_file("file", "small.pdf", "application/pdf", 3)
    assert handler.receive_data_chunk(b"abc", 0) == b"abc"
    assert handler.file_complete(3) is None
