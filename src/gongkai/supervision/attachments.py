"""Files attached to progress reports and strike-off evidence: at most 20 MB each, at most 5 per
report, allowed types checked by content (the checks of :mod:`gongkai.publications.attachments`:
the extension must be allowed *and* the bytes must be of that type). Stored under random names;
served only to staff who may see the task.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError
from gongkai.publications.attachments import CONTENT_TYPES, content_matches, display_name

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 5
ALLOWED_EXTENSIONS = (
    "pdf",
    "ofd",
    "doc",
    "docx",
    "wps",
    "xls",
    "xlsx",
    "et",
    "jpg",
    "jpeg",
    "png",
    "txt",
    "zip",
)
ALLOWED_DESCRIPTION = "PDF、OFD、DOC、DOCX、WPS、XLS、XLSX、ET、JPG、PNG、TXT、ZIP"


@dataclass(frozen=True)
class CheckedFile:
    file: IO[bytes]
    original_name: str
    content_type: str
    size: int
    sha256: str


class OversizedFile(UploadedFile):
    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)


class LimitHandler(FileUploadHandler):
    """First upload handler of the report forms: stops storing a file once it passes 20 MB."""

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


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def check_file(upload: UploadedFile | IO[bytes], name: str | None = None) -> CheckedFile:
    """Check one file; raise :class:`DomainError` (field ``attachments``) naming it."""
    shown = display_name(name or getattr(upload, "name", "") or "")
    size = _size(upload)
    if getattr(upload, "too_large", False) or size > MAX_FILE_BYTES:
        raise DomainError(
            _("附件“%(name)s”超过 20 MB，无法上传。") % {"name": shown},
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
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(
            _("附件“%(name)s”的类型不允许上传；允许的类型：%(types)s。")
            % {"name": shown, "types": ALLOWED_DESCRIPTION},
            code="attachment_type",
            field="attachments",
        )
    if not content_matches(extension, upload):
        raise DomainError(
            _("附件“%(name)s”的内容与扩展名 .%(ext)s 不符，请检查文件。")
            % {"name": shown, "ext": extension},
            code="attachment_content",
            field="attachments",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, shown, CONTENT_TYPES[extension], size, digest.hexdigest())


def check_files(uploads: list) -> list[CheckedFile]:
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("每次最多上传 %(n)d 个附件。") % {"n": MAX_FILES},
            code="too_many_attachments",
            field="attachments",
        )
    return [check_file(upload) for upload in uploads]
