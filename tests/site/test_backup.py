"""``gongkai backup`` / ``gongkai restore``: round trip, consistency under writes, refusals.

The round trips restore through the real command line into a second, empty database (SQLite: a
new file; PostgreSQL: a new database on the same server) and compare every table row by row and
every media file byte by byte.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gongkai.agencies.models import Agency
from gongkai.applications import intake
from gongkai.applications.models import Attachment, Channel
from gongkai.core import backup
from gongkai.core.dates import SHANGHAI, override_today
from gongkai.publications.models import Document
from gongkai.site import audit
from gongkai.site.models import AuditEntry
from tests.applications.test_intake import applicant
from tests.publications.factories import published

ATTACHMENT = "请公开2025年本机关部门预算。".encode()


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def database_url(name: str) -> str:
    """A GONGKAI_DATABASE_URL for database ``name`` on the test database's server."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def gongkai(*args: str, url: str, media_root: Path, var: Path) -> subprocess.CompletedProcess:
    """Run the real ``gongkai`` command line against database ``url`` and ``media_root``."""
    env = {
        **os.environ,
        "GONGKAI_VAR_DIR": str(var),
        "GONGKAI_DATABASE_URL": url,
        "GONGKAI_MEDIA_ROOT": str(media_root),
        "GONGKAI_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONIOENCODING": "utf-8",
    }
    if getattr(settings, "GONGKAI_FIELD_KEYS", None):
        env["GONGKAI_FIELD_KEYS"] = ",".join(settings.GONGKAI_FIELD_KEYS)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The name of a new, empty database (SQLite: a file not yet created), dropped afterwards."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored" / "gongkai.sqlite3")
        return
    name = f"gongkai_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connections.close_all()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_database(name: str) -> Any:
    """A DB-API connection to database ``name``, set up exactly as Django sets up its own."""
    params = connection.get_connection_params()
    params["database" if connection.vendor == "sqlite" else "dbname"] = name
    return connection.get_new_connection(params)


def every_row(name: str) -> dict[str, list[tuple]]:
    """Every row of every model's table in database ``name``, ordered by primary key."""
    raw = open_database(name)
    try:
        cursor = raw.cursor()
        tables: dict[str, list[tuple]] = {}
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed:
                continue
            columns = ", ".join(f'"{field.column}"' for field in meta.local_concrete_fields)
            cursor.execute(f'SELECT {columns} FROM "{meta.db_table}" ORDER BY "{meta.pk.column}"')
            tables[meta.db_table] = [tuple(row) for row in cursor.fetchall()]
        return tables
    finally:
        raw.close()


def count_rows(name: str, table: str) -> int:
    raw = open_database(name)
    try:
        cursor = raw.cursor()
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        return cursor.fetchone()[0]
    finally:
        raw.close()


def media_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def load_some_data(world) -> None:
    """A request with an attachment, a published document, and their audit entries."""
    with override_today(dt.date(2026, 3, 16)):
        intake.create_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI),
            attachments=[SimpleUploadedFile("说明.txt", ATTACHMENT, content_type="text/plain")],
            actor=world.officer,
        )
        document = published(world)
        audit.record(world.officer, "backup.test", document, extra={"说明": "备份测试"})


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_row_and_every_media_file(
    world, media, tmp_path, empty_database
):
    load_some_data(world)
    source_db = connection.settings_dict["NAME"]
    call_command("backup", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))

    restored_media = tmp_path / "restored-media"
    done = gongkai(
        "restore",
        str(tmp_path / "backup"),
        url=database_url(empty_database),
        media_root=restored_media,
        var=tmp_path / "restore-var",
    )
    assert done.returncode == 0, done.stderr
    assert "行数与备份清单一致" in done.stdout, done.stdout

    before, after = every_row(source_db), every_row(empty_database)
    for model in (Attachment, Document, AuditEntry):
        table = model._meta.db_table
        assert before[table], f"the test data should fill {table}"
    different = [table for table in before if before[table] != after.get(table)]
    assert not different, f"tables that differ after the round trip: {different}"
    assert media_files(restored_media) == media_files(media), "media files differ after restore"
    assert ATTACHMENT in media_files(restored_media).values(), "the attachment was not restored"


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_the_site_writes_is_one_consistent_snapshot(
    world, media, tmp_path, empty_database
):
    """A thread keeps appending audit entries during ``gongkai backup`` in another process: the
    manifest's counts are those of a single moment, and the restored database has exactly them."""
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                audit.record(world.officer, "backup.concurrent", world.league)
                written.append(1)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5 and writer.is_alive():
            stop.wait(0.01)
        started_with = AuditEntry.objects.count()
        done = gongkai(
            "backup",
            str(tmp_path / "backup"),
            url=database_url(connection.settings_dict["NAME"]),
            media_root=media,
            var=tmp_path / "backup-var",
        )
        finished_at = len(written)
        while len(written) < finished_at + 5 and writer.is_alive():
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    assert done.returncode == 0, done.stderr
    ended_with = AuditEntry.objects.count()

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    in_backup = manifest["tables"][AuditEntry._meta.db_table]
    assert started_with < in_backup < ended_with, (
        f"the backup should be taken while rows are written: {started_with} < {in_backup} "
        f"< {ended_with}"
    )
    restored = gongkai(
        "restore",
        str(tmp_path / "backup"),
        url=database_url(empty_database),
        media_root=tmp_path / "restored-media",
        var=tmp_path / "restore-var",
    )
    assert restored.returncode == 0, restored.stderr
    assert count_rows(empty_database, AuditEntry._meta.db_table) == in_backup, (
        "the restored database should hold exactly the rows counted in the manifest"
    )


# --- refusals -----------------------------------------------------------------------------------


@pytest.fixture
def a_backup(db, media, tmp_path) -> Path:
    """A backup (of the committed, freshly migrated database) with two media files."""
    (media / "applications" / "GK-2026-TEST0001").mkdir(parents=True)
    (media / "applications" / "GK-2026-TEST0001" / "申请.txt").write_bytes(ATTACHMENT)
    (media / "letters").mkdir()
    (media / "letters" / "a.pdf").write_bytes(b"%PDF-1.4 letter")
    target = tmp_path / "backup"
    backup.create_backup(target)
    return target


def restore(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("restore", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_check_accepts_an_intact_backup(a_backup):
    output = restore(str(a_backup), "--check")
    assert "校验通过" in output and "3 个文件" in output, output


@pytest.mark.parametrize(
    ("damage", "name", "reason"),
    [
        ("alter", "media/letters/a.pdf", "内容已改变"),
        ("alter", "DATABASE", "内容已改变"),
        ("delete", "media/applications/GK-2026-TEST0001/申请.txt", "缺少"),
        ("add", "media/letters/evil.html", "清单中没有的文件"),
    ],
)
@pytest.mark.parametrize("check_only", [True, False])
def test_a_damaged_backup_is_refused_naming_the_file(a_backup, damage, name, reason, check_only):
    if name == "DATABASE":
        name = backup.DATABASE_FILES[connection.vendor]
    path = a_backup / name
    if damage == "alter":
        content = bytearray(path.read_bytes())
        content[len(content) // 2] ^= 0x01
        path.write_bytes(bytes(content))
    elif damage == "delete":
        path.unlink()
    else:
        path.write_text("<script>alert(1)</script>")
    rows_before = AuditEntry.objects.count()
    with pytest.raises(CommandError) as caught:
        restore(str(a_backup), *(["--check"] if check_only else []))
    assert reason in str(caught.value) and name in str(caught.value), str(caught.value)
    assert AuditEntry.objects.count() == rows_before


@pytest.mark.parametrize("unsafe", ["../outside.txt", "media/../../outside.txt", "/etc/passwd"])
def test_a_manifest_naming_a_file_outside_the_backup_is_refused(a_backup, unsafe):
    manifest_path = a_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][unsafe] = {"sha256": "0" * 64, "size": 0}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="不安全的文件路径"):
        restore(str(a_backup), "--check")


def test_a_backup_into_a_non_empty_directory_is_refused(db, media, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(target))
    assert [p.name for p in target.iterdir()] == ["notes.txt"], "the directory was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup", "media"], (
        "nothing else should be left beside it"
    )


def test_an_interrupted_backup_leaves_no_directory_that_looks_complete(
    db, media, tmp_path, monkeypatch
):
    (media / "a.txt").write_text("a")

    def disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_copy_and_hash", disk_full)
    with pytest.raises(OSError):
        backup.create_backup(tmp_path / "backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media"], (
        "neither the backup directory nor its temporary sibling should remain"
    )


def test_restoring_into_a_database_with_data_is_refused(world, a_backup):
    rows_before = AuditEntry.objects.count(), Agency.objects.count()
    with pytest.raises(CommandError) as caught:
        restore(str(a_backup))
    message = str(caught.value)
    assert "目标数据库不是空的" in message and "createdb" in message, message
    assert Agency._meta.db_table in message, message
    assert (AuditEntry.objects.count(), Agency.objects.count()) == rows_before
