"""Personal data at rest: encrypted model fields and blind indexes.

An applicant's identity number and telephone (个人信息) are stored as Fernet tokens (AES-128-CBC
plus HMAC-SHA256, :mod:`cryptography`) under the keys of ``settings.GONGKAI_FIELD_KEYS``: the first
key encrypts, every key decrypts, so keys rotate without downtime (add the new key in front, run
``gongkai privacy rotate-keys``, then drop the old key; docs/operations.md).

A token is random, so an encrypted column cannot be searched. Where the code needs to find rows by
such a value (the same applicant's earlier requests) the model also stores a *blind index*: an
HMAC-SHA256 of the normalised value under a key derived from ``SECRET_KEY``
(:class:`BlindIndexField`). Lookups on an encrypted field itself are refused with ``FieldError``
rather than silently matching nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction


class DecryptionError(ImproperlyConfigured):
    """A stored value cannot be decrypted with any of the configured field keys."""


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEYS is empty")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEYS holds a malformed Fernet key") from exc


def cipher() -> MultiFernet:
    """The MultiFernet of the configured keys (cached per key list; follows settings overrides)."""
    return _multifernet(tuple(settings.GONGKAI_FIELD_KEYS))


def encrypt(text: str) -> str:
    """A Fernet token for ``text`` under the first field key."""
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, what: str = "value") -> str:
    """The plain text of ``token``; :class:`DecryptionError` when no configured key opens it."""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            f"cannot decrypt {what}: no key in GONGKAI_FIELD_KEYS opens it (was a key removed "
            "before `gongkai privacy rotate-keys` finished, or is the value not encrypted?)"
        ) from exc


def rotate(token: str) -> str:
    """``token`` re-encrypted under the first key (any configured key may open it)."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("cannot rotate a token that no configured key opens") from exc


# --- blind indexes ------------------------------------------------------------------------------


def normalise_identity(value: str) -> str:
    """An identity number as compared: no spaces, upper case (``x`` check digit = ``X``)."""
    return "".join(value.split()).upper()


def normalise_phone(value: str) -> str:
    """A telephone number as compared: its digits only."""
    return "".join(ch for ch in value if ch.isdigit())


NORMALISERS: dict[str, Callable[[str], str]] = {
    "identity": normalise_identity,
    "phone": normalise_phone,
}


def _index_key() -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"gongkai blind index v1", hashlib.sha256
    ).digest()


def blind_index(value: str, kind: str) -> str:
    """Hex HMAC-SHA256 of the normalised ``value`` (``""`` for an empty value); ``kind`` names the
    normaliser and separates the index spaces of different kinds of value."""
    normalised = NORMALISERS[kind](value or "")
    if not normalised:
        return ""
    message = f"{kind}:{normalised}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


# --- model fields -------------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; reads give the plain text back.

    ``max_length`` limits the *plain* text (forms); the column is unbounded text. ``""`` and
    ``None`` are stored as they are. Only ``isnull`` lookups are allowed.
    """

    description = "Encrypted text"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value, what=f"{self.model._meta.label}.{self.name}")

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None  # Django then raises FieldError "Unsupported lookup"
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class BlindIndexField(models.CharField):
    """The blind index of another field of the same model, recomputed on every save."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        return blind_index(getattr(instance, self.source) or "", self.kind)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


# --- key rotation -------------------------------------------------------------------------------


def encrypted_models() -> Iterator[tuple[type[models.Model], list[str], list[BlindIndexField]]]:
    """Every installed model with encrypted fields: (model, encrypted field names, indexes)."""
    for model in apps.get_models():
        encrypted = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if encrypted:
            indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
            yield model, encrypted, indexes


def rotate_keys(chunk_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted value under the first key and recompute every blind index
    (also the step after changing ``SECRET_KEY``). Returns ``{model label: rows rewritten}``."""
    counts: dict[str, int] = {}
    for model, encrypted, indexes in encrypted_models():
        names = [*encrypted, *(f.source for f in indexes)]
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        count = 0
        for start in range(0, len(pks), chunk_size):
            with transaction.atomic():
                batch = model._base_manager.filter(pk__in=pks[start : start + chunk_size])
                for obj in batch.select_for_update().only("pk", *names):
                    values: dict[str, Any] = {name: getattr(obj, name) for name in encrypted}
                    for index in indexes:
                        values[index.attname] = index.compute(obj)
                    model._base_manager.filter(pk=obj.pk).update(**values)
                    count += 1
        counts[model._meta.label] = count
    return counts


# --- data migrations ----------------------------------------------------------------------------


def _is_token(value: str) -> bool:
    try:
        cipher().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def encrypt_columns(
    connection: Any,
    table: str,
    columns: list[str],
    indexes: dict[str, tuple[str, str]] | None = None,
    *,
    reverse: bool = False,
) -> int:
    """For data migrations: encrypt (``reverse``: decrypt) the plain values of ``columns`` of
    ``table`` in place, with raw SQL (historical models would try to decrypt the plain text), and
    fill ``indexes`` (``{index column: (source column, kind)}``). Values already in the wanted form
    are left alone, so running it twice is harmless. Returns the number of rows changed."""
    indexes = {} if (indexes is None or reverse) else indexes
    q = connection.ops.quote_name
    selected = ", ".join(q(c) for c in ["id", *columns])
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {q(table)}")
        rows = cursor.fetchall()
    for pk, *values in rows:
        plain = dict(zip(columns, values, strict=True))
        new: dict[str, Any] = {}
        for column, value in plain.items():
            if not value:
                continue
            if reverse:
                if _is_token(value):
                    plain[column] = new[column] = decrypt(value, what=f"{table}.{column}")
            elif _is_token(value):
                plain[column] = decrypt(value, what=f"{table}.{column}")
            else:
                new[column] = encrypt(value)
        for index_column, (source, kind) in indexes.items():
            new[index_column] = blind_index(plain[source] or "", kind)
        if new:
            assignments = ", ".join(f"{q(c)} = %s" for c in new)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {q(table)} SET {assignments} WHERE {q('id')} = %s",
                    [*new.values(), pk],
                )
            changed += 1
    return changed
