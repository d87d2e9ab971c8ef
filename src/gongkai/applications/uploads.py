"""Attachments to a disclosure request (申请附件): limits, content sniffing, safe storage.

An applicant may attach documents that help identify the information wanted or prove identity
(条例第二十九条: 身份证明). Files are checked by their *content*, not by the name or the type the
browser claims: the magic bytes (and, for the zip- and OLE-based office formats, the names inside)
must match the extension. The stored name is random (the original name is kept for display
only), the SHA-256 is recorded, and files live under ``MEDIA_ROOT`` — outside the static root —
and are handed out only by the staff download view, never by the web server.

Limits: at most :data:`MAX_FILES` files of at most :data:`MAX_FILE_BYTES` each and
:data:`MAX_TOTAL_BYTES` together. :class:`UploadLimitHandler` stops storing a file as soon as it
passes the per-file limit, so an oversized upload never fills the disk; put the same total limit
(plus room for the form) into the reverse proxy (nginx ``client_max_body_size 60m``).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_FILES = 5

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "ofd": "application/ofd",
}
#: Shown to applicants next to the file input.
ALLOWED_DESCRIPTION = "PDF、JPG、PNG、DOC、DOCX、XLS、XLSX、TXT、OFD"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose size and content were checked; ready to be stored."""

    file: IO[bytes]
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str

    def stored_name(self) -> str:
        """A fresh random name that keeps only the (checked) extension."""
        return f"{secrets.token_hex(16)}.{self.extension}"


class OversizedUpload(UploadedFile):
    """Placeholder for a file that :class:`UploadLimitHandler` stopped storing."""

    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def open(self, mode=None):  # pragma: no cover - never opened
        raise ValueError("oversized upload was not stored")


class UploadLimitHandler(FileUploadHandler):
    """First upload handler of the request form: discards a file once it passes the limit.

    Chunks up to the limit go to the next handler as usual; after that, the rest of the file is
    swallowed and :meth:`file_complete` returns an :class:`OversizedUpload`, which
    :func:`check_uploads` reports with the file's name.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._seen = 0
        self._too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._seen += len(raw_data)
        if self._seen > MAX_FILE_BYTES:
            self._too_large = True
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self._too_large:
            return OversizedUpload(self.file_name, self._seen, self.content_type)
        return None


def display_name(name: str) -> str:
    """The original file name, made safe to show: no path, no control characters, ≤ 200 chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", _CONTROL.sub("", base)).strip().strip(".") or "file"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base


def extension_of(name: str) -> str:
    _stem, dot, ext = (name or "").rpartition(".")
    return ext.lower() if dot else ""


def _read_all(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_names(upload: IO[bytes]) -> set[str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return set()
    finally:
        upload.seek(0)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(extension: str, upload: IO[bytes]) -> bool:
    """Whether the bytes of ``upload`` are what ``extension`` says (magic bytes, inner names)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("docx", "xlsx", "ofd"):
        if not head.startswith(_ZIP_MAGIC):
            return False
        names = _zip_names(upload)
        if extension == "docx":
            return "[Content_Types].xml" in names and "word/document.xml" in names
        if extension == "xlsx":
            return "[Content_Types].xml" in names and "xl/workbook.xml" in names
        return "OFD.xml" in names
    if extension in ("doc", "xls"):
        if not head.startswith(_OLE_MAGIC):
            return False
        data = _read_all(upload)
        if extension == "doc":
            return _WORD_STREAM in data
        return any(stream in data for stream in _EXCEL_STREAMS)
    if extension == "txt":
        return _is_text(_read_all(upload))
    return False


def _sha256(upload: IO[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def _megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def check_upload(upload: UploadedFile | CheckedUpload) -> CheckedUpload:
    """Check one file; raise :class:`DomainError` (``field="attachments"``) naming it."""
    if isinstance(upload, CheckedUpload):
        return upload
    name = display_name(getattr(upload, "name", "") or "")
    size = _size_of(upload)
    if getattr(upload, "too_large", False) or size > MAX_FILE_BYTES:
        raise DomainError(
            _("文件“%(name)s”超过 %(limit)s，无法上传。")
            % {"name": name, "limit": _megabytes(MAX_FILE_BYTES)},
            code="upload_too_large",
            field="attachments",
        )
    if size == 0:
        raise DomainError(
            _("文件“%(name)s”是空文件。") % {"name": name}, code="upload_empty", field="attachments"
        )
    extension = extension_of(name)
    if extension not in CONTENT_TYPES:
        raise DomainError(
            _("文件“%(name)s”的类型不允许上传；可上传的类型：%(types)s。")
            % {"name": name, "types": ALLOWED_DESCRIPTION},
            code="upload_type_not_allowed",
            field="attachments",
        )
    if not content_matches(extension, upload):
        raise DomainError(
            _("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，请上传真实的 %(kind)s 文件。")
            % {"name": name, "ext": extension, "kind": extension.upper()},
            code="upload_content_mismatch",
            field="attachments",
        )
    return CheckedUpload(
        file=upload,
        original_name=name,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=_sha256(upload),
    )


def check_uploads(uploads: Iterable[UploadedFile | CheckedUpload]) -> list[CheckedUpload]:
    """Check a request's files: count, each file (:func:`check_upload`), then the total size."""
    files: Sequence[UploadedFile | CheckedUpload] = [u for u in uploads if u is not None]
    if len(files) > MAX_FILES:
        raise DomainError(
            _("最多上传 %(count)d 个附件。") % {"count": MAX_FILES},
            code="upload_too_many",
            field="attachments",
        )
    checked = [check_upload(upload) for upload in files]
    if sum(c.size for c in checked) > MAX_TOTAL_BYTES:
        raise DomainError(
            _("附件合计超过 %(limit)s，请删减后再上传。") % {"limit": _megabytes(MAX_TOTAL_BYTES)},
            code="upload_total_too_large",
            field="attachments",
        )
    return checked
