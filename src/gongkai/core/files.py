"""Saving an uploaded file so that a full disk gives a clear refusal and leaves nothing behind.

``FieldFile.save`` lets the storage pick the final name and write the bytes; when the disk fills
up (``ENOSPC``) or a quota is reached (``EDQUOT``) half-way, Django's file-system storage raises
``OSError`` and leaves the partly written file where it was going, and the caller — a view —
answers 500. :func:`save_upload` does the same save, but fixes the name first, removes a partial
file on any ``OSError``, and turns "no space" into :class:`StorageFull`, a :class:`DomainError`
with a Chinese message that the form or the API shows like any other refusal. The caller's
transaction then rolls back the row, so neither a row without its file nor a stray file remains.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

logger = logging.getLogger(__name__)

NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(DomainError):
    """The server has no room for the upload (磁盘空间不足); try again later."""

    code = "storage_full"
    status = 507


def save_upload(
    fieldfile: FieldFile, name: str, content: Any, *, field: str = "attachments"
) -> str:
    """``fieldfile.save(name, content, save=False)``, cleaning up after a failed write.

    Returns the stored name. Raises :class:`StorageFull` (``field`` set) when the disk or quota
    is full; other ``OSError`` propagate after the partial file is removed.
    """
    storage = fieldfile.storage
    target = fieldfile.field.generate_filename(fieldfile.instance, name)
    target = storage.get_available_name(target, max_length=fieldfile.field.max_length)
    try:
        stored = storage.save(target, content, max_length=fieldfile.field.max_length)
    except OSError as exc:
        try:
            storage.delete(target)  # a partly written file, if the storage left one
        except OSError:  # pragma: no cover - best effort
            logger.warning("could not remove the partial upload %s", target)
        if exc.errno in NO_SPACE:
            logger.error("no space left for upload %s: %s", target, exc)
            raise StorageFull(
                _("服务器存储空间不足，文件未能保存，本次提交没有生效。请稍后再试，或联系管理员。"),
                field=field,
            ) from exc
        raise
    fieldfile.name = stored
    fieldfile._set_instance_attribute(stored, content)
    fieldfile._committed = True
    return stored
