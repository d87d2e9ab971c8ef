"""Attachments of published documents (附件): allowed types checked by content, ≤ 50 MB each.

The extension must be on the allow-list *and* the bytes must be what the extension says (magic
bytes; for the zip-based office formats the names inside the archive). The original file name is
kept for display only; the stored name is random (see ``models.attachment_path``).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

MAX_FILE_BYTES = 50 * 1024 * 1024

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "wps": "application/vnd.ms-works",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "et": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
ALLOWED_DESCRIPTION = "PDF、OFD、DOC、DOCX、WPS、XLS、XLSX、ET、PPT、PPTX、JPG、PNG、TXT、CSV、ZIP"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "ofd": "OFD.xml",
}


@dataclass(frozen=True)
class CheckedFile:
    file: IO[bytes]
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


class OversizedFile(UploadedFile):
    """Placeholder for a file that :class:`AttachmentLimitHandler` stopped storing."""

    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)


class AttachmentLimitHandler(FileUploadHandler):
    """First upload handler of the attachment form: discards a file once it passes 50 MB.

    The rest of the file is swallowed (never stored) and :func:`check_file` reports it by name.
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
            return OversizedFile(self.file_name, self._seen, self.content_type)
        return None


def display_name(name: str) -> str:
    """The original name without path or control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", _CONTROL.sub("", base)).strip().strip(".") or "file"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def _zip_names(upload: IO[bytes]) -> set[str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return set()
    finally:
        upload.seek(0)


def _looks_like_text(upload: IO[bytes]) -> bool:
    upload.seek(0)
    data = upload.read(1024 * 1024)
    upload.seek(0)
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the 1 MB boundary is fine.
            if exc.start >= len(data) - 4:
                return True
    return False


def content_matches(extension: str, upload: IO[bytes]) -> bool:
    """Whether the bytes of ``upload`` are a real file of type ``extension``."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in _ZIP_MEMBERS:
        return head.startswith(_ZIP) and _ZIP_MEMBERS[extension] in _zip_names(upload)
    if extension == "zip":
        return head.startswith((_ZIP, b"PK\x05\x06")) and bool(_zip_names(upload))
    if extension in ("doc", "xls", "ppt", "wps", "et"):
        return head.startswith(_OLE)
    if extension in ("txt", "csv"):
        return _looks_like_text(upload)
    return False


def _sha256(upload: IO[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_file(upload: UploadedFile | IO[bytes], name: str | None = None) -> CheckedFile:
    """Check one attachment; raise :class:`DomainError` (field ``attachments``) naming it."""
    shown = display_name(name or getattr(upload, "name", "") or "")
    size = _size(upload)
    if getattr(upload, "too_large", False) or size > MAX_FILE_BYTES:
        raise DomainError(
            _("附件“%(name)s”超过 50 MB，无法上传。") % {"name": shown},
            code="attachment_too_large",
            field="attachments",
        )
    if size == 0:
        raise DomainError(
            _("附件“%(name)s”是空文件。") % {"name": shown},
            code="attachment_empty",
            field="attachments",
        )
    _stem, dot, ext = shown.rpartition(".")
    extension = ext.lower() if dot else ""
    if extension not in CONTENT_TYPES:
        raise DomainError(
            _("附件“%(name)s”的类型不允许上传；允许的类型：%(types)s。")
            % {"name": shown, "types": ALLOWED_DESCRIPTION},
            code="attachment_type_not_allowed",
            field="attachments",
        )
    if not content_matches(extension, upload):
        raise DomainError(
            _("附件“%(name)s”的内容与扩展名 .%(ext)s 不符，请上传真实的 %(kind)s 文件。")
            % {"name": shown, "ext": extension, "kind": extension.upper()},
            code="attachment_content_mismatch",
            field="attachments",
        )
    return CheckedFile(
        file=upload,
        original_name=shown,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=_sha256(upload),
    )
