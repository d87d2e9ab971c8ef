"""Backup and restore (备份与恢复) of the database and the uploaded files.

A backup is a directory::

    manifest.json   format version, gongkai version, time, database vendor, applied migrations,
                    per-table row counts, SHA-256 and size of every other file
    db.sqlite3      SQLite: a copy made with the online backup API, or
    db.dump         PostgreSQL: ``pg_dump --format=custom``
    media/...       the files under ``MEDIA_ROOT``, same relative paths (none when uploads live in
                    an S3 bucket: the manifest's ``media_note`` says so, see
                    :func:`media_in_object_storage`)

It is taken while the site runs: the database copy is one consistent snapshot (SQLite: the
backup API copies under one read transaction; PostgreSQL: ``pg_dump`` imports a snapshot exported
by the transaction that also reads the migrations and counts the rows), so the manifest's counts
are exactly the rows in the copy. Media files are copied after the database, so every file a
copied row refers to already exists (uploads are written before their row is committed).

Everything is written into a hidden sibling directory and renamed at the end: a directory with the
requested name is always a complete backup.

Restoring writes only into an empty database, checks every hash first, and compares the restored
row counts with the manifest.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

import gongkai
from gongkai.core.errors import DomainError

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SQLITE_NAME = "db.sqlite3"
POSTGRES_NAME = "db.dump"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": SQLITE_NAME, "postgresql": POSTGRES_NAME}
_CHUNK = 1024 * 1024
_MAX_NAMES = 20  # file names listed in one error message


class BackupError(DomainError):
    """A backup could not be taken, verified or restored (message in Chinese)."""

    code = "backup_error"


@dataclass
class RestoreReport:
    """What :func:`restore_backup` did: per-table (expected, restored) counts and media files."""

    tables: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    media_files: int = 0
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def mismatches(self) -> dict[str, tuple[int, int | None]]:
        return {name: pair for name, pair in self.tables.items() if pair[0] != pair[1]}


# --- helpers ----------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hash_file(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _copy_and_hash(source: Path, target: Path) -> dict[str, Any]:
    """Copy one file (flushed to disk) and return the SHA-256 and size of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(source, target)
    return {"sha256": digest.hexdigest(), "size": size}


def _names(items: Iterable[str]) -> str:
    items = list(items)
    shown = "、".join(items[:_MAX_NAMES])
    if len(items) > _MAX_NAMES:
        shown += _("等 %(n)d 个") % {"n": len(items)}
    return shown


def find_pg_program(name: str) -> str:
    """``pg_dump``/``pg_restore`` of the newest server installed, else the one on ``PATH``."""

    def version(path: str) -> tuple[int, ...]:
        number = Path(path).parent.parent.name
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if installed:
        return installed[-1]
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        _(
            "找不到 %(name)s：请安装 PostgreSQL 客户端程序（Debian：apt-get install postgresql-client）。"
        )
        % {"name": name}
    )


def _pg_command(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore (password only in the env)."""
    db = connection.settings_dict
    args: list[str] = ["--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    libpq_env = {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "passfile": "PGPASSFILE",
        "service": "PGSERVICE",
    }
    for option, variable in libpq_env.items():
        value = (db.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(
            _("%(program)s 失败（退出码 %(code)d）：%(detail)s")
            % {"program": Path(command[0]).name, "code": done.returncode, "detail": detail}
        )


# --- taking a backup --------------------------------------------------------------------------


def _sqlite_snapshot(cursor: sqlite3.Cursor) -> tuple[list[str], dict[str, int]]:
    tables = [
        row[0]
        for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    return _migrations_and_counts(cursor, tables)


def _migrations_and_counts(cursor: Any, tables: list[str]) -> tuple[list[str], dict[str, int]]:
    migrations: list[str] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return migrations, counts


def _backup_sqlite(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[list[str], dict[str, int]]:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or not Path(name).is_file():
        raise BackupError(_("找不到 SQLite 数据库文件：%(name)s") % {"name": name})
    timeout = float((connection.settings_dict.get("OPTIONS") or {}).get("timeout", 20))
    source = sqlite3.connect(name, timeout=timeout)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        migrations, counts = _sqlite_snapshot(copy.cursor())
    finally:
        copy.close()
        source.close()
    return migrations, counts


def _backup_postgresql(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[list[str], dict[str, int]]:
    pg_dump = find_pg_program("pg_dump")
    args, env = _pg_command(connection)
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        migrations, counts = _migrations_and_counts(cursor, tables)
        # The exporting transaction stays open until pg_dump is done: it dumps the same snapshot.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *args,
                "--dbname",
                str(connection.settings_dict["NAME"]),
            ],
            env,
        )
        cursor.execute("COMMIT")
    finally:
        raw.close()
    _fsync(target)
    return migrations, counts


def _copy_media(media_root: Path, target: Path) -> dict[str, dict[str, Any]]:
    """Copy the regular files under ``media_root`` (symbolic links are not followed)."""
    files: dict[str, dict[str, Any]] = {}
    if not media_root.is_dir():
        return files
    for dirpath, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for filename in sorted(filenames):
            source = Path(dirpath) / filename
            if source.is_symlink() or not source.is_file():
                continue
            relative = source.relative_to(media_root).as_posix()
            try:
                entry = _copy_and_hash(source, target / relative)
            except FileNotFoundError:  # deleted while we copied: not part of the backup
                continue
            files[f"{MEDIA_DIR}/{relative}"] = entry
    return files


def media_in_object_storage() -> bool:
    """Whether uploads live in object storage (``GONGKAI_S3_BUCKET``), not under ``MEDIA_ROOT``.

    Such files are not in the backup: protect them with the bucket's own versioning and
    replication (docs/deployment.md, "Uploaded files").
    """
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    return backend != "django.core.files.storage.FileSystemStorage"


def media_note() -> str:
    """What a backup says about uploads kept in object storage (empty when they are on disk)."""
    if not media_in_object_storage():
        return ""
    return _(
        "上传文件保存在对象存储（S3 存储桶 %(bucket)s）中，不在本备份内：请启用存储桶的版本控制和"
        "跨区域复制来保护它们。"
    ) % {"bucket": getattr(settings, "S3_BUCKET", "") or "?"}


def _is_inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def create_backup(
    target: Path | str, *, using: str = DEFAULT_DB_ALIAS, media_root: Path | str | None = None
) -> dict[str, Any]:
    """Back up the database ``using`` and ``media_root`` into the new directory ``target``.

    Returns the manifest. Raises :class:`BackupError` if ``target`` exists and is not empty, lies
    inside the media directory, or a step fails (nothing is left at ``target`` then).
    """
    target = Path(target).absolute()
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(
            _("备份目录 %(path)s 已存在且不是空目录：请指定一个新目录。") % {"path": target}
        )
    if _is_inside(target, media):
        raise BackupError(_("备份目录不能放在上传文件目录 %(media)s 里。") % {"media": media})
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(_("不支持备份 %(vendor)s 数据库。") % {"vendor": vendor})
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        database_file = work / DATABASE_FILES[vendor]
        if vendor == "sqlite":
            migrations, counts = _backup_sqlite(connection, database_file)
        else:
            migrations, counts = _backup_postgresql(connection, database_file)
        files = {database_file.name: _hash_file(database_file)}
        if media_root is not None or not media_in_object_storage():
            files.update(_copy_media(media, work / MEDIA_DIR))
        manifest = {
            "format": FORMAT_VERSION,
            "gongkai_version": gongkai.__version__,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database_file.name},
            "migrations": migrations,
            "tables": counts,
            "files": files,
        }
        if media_root is None and media_note():
            manifest["media_note"] = media_note()
        manifest_path = work / MANIFEST_NAME
        with open(manifest_path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        work.chmod(0o700)
        try:
            os.rename(work, target)  # replaces an empty directory; fails on a non-empty one
        except OSError as exc:
            raise BackupError(
                _("无法把备份移到 %(path)s：%(error)s") % {"path": target, "error": exc.strerror}
            ) from exc
        _fsync(target.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# --- verifying --------------------------------------------------------------------------------


def _safe_relative(name: Any, database_file: str) -> bool:
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return False
    return name == database_file or (path.parts[0] == MEDIA_DIR and len(path.parts) > 1)


def read_manifest(source: Path | str) -> dict[str, Any]:
    """The manifest of the backup in ``source``, checked for shape and safe file names."""
    source = Path(source)
    path = source / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(
            _("%(path)s 不是备份目录：缺少 %(manifest)s。")
            % {"path": source, "manifest": MANIFEST_NAME}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(
            _("备份清单 %(path)s 无法读取：%(error)s") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _("备份清单的格式版本不受支持（需要 %(version)d）。") % {"version": FORMAT_VERSION}
        )
    database = manifest.get("database")
    files = manifest.get("files")
    tables = manifest.get("tables")
    if (
        not isinstance(database, dict)
        or not isinstance(database.get("vendor"), str)
        or DATABASE_FILES.get(database.get("vendor")) != database.get("file")
        or not isinstance(files, dict)
        or database.get("file") not in files
        or not isinstance(tables, dict)
        or not all(isinstance(n, int) for n in tables.values())
        or not isinstance(manifest.get("migrations"), list)
        or not all(isinstance(m, str) and "." in m for m in manifest["migrations"])
        or not all(
            isinstance(e, dict)
            and isinstance(e.get("sha256"), str)
            and isinstance(e.get("size"), int)
            for e in files.values()
        )
    ):
        raise BackupError(_("备份清单 %(path)s 内容不完整或已损坏。") % {"path": path})
    unsafe = [name for name in files if not _safe_relative(name, database["file"])]
    if unsafe:
        raise BackupError(
            _("备份清单含有不安全的文件路径，拒绝使用：%(names)s") % {"names": _names(unsafe)}
        )
    return manifest


def verify_backup(source: Path | str) -> dict[str, Any]:
    """Check every file against the manifest; return the manifest.

    Raises :class:`BackupError` naming each missing, altered or unexpected file.
    """
    source = Path(source)
    manifest = read_manifest(source)
    missing: list[str] = []
    altered: list[str] = []
    for name, expected in manifest["files"].items():
        path = source / name
        if path.is_symlink() or not path.is_file():
            missing.append(name)
            continue
        actual = _hash_file(path)
        if actual != {"sha256": expected["sha256"], "size": expected["size"]}:
            altered.append(name)
    listed = set(manifest["files"]) | {MANIFEST_NAME}
    unexpected = []
    for dirpath, dirnames, filenames in os.walk(source):  # symbolic links are not followed
        for name in [*filenames, *(d for d in dirnames if Path(dirpath, d).is_symlink())]:
            relative = Path(dirpath, name).relative_to(source).as_posix()
            if relative not in listed:
                unexpected.append(relative)
    unexpected.sort()
    problems = []
    if missing:
        problems.append(_("缺少：%(names)s") % {"names": _names(missing)})
    if altered:
        problems.append(_("内容已改变：%(names)s") % {"names": _names(altered)})
    if unexpected:
        problems.append(_("清单中没有的文件：%(names)s") % {"names": _names(unexpected)})
    if problems:
        raise BackupError(
            _("备份 %(path)s 校验未通过，拒绝恢复。%(problems)s")
            % {"path": source, "problems": "；".join(problems)}
        )
    return manifest


# --- restoring --------------------------------------------------------------------------------


def data_tables() -> list[str]:
    """Tables whose rows are the site's data: every gongkai model, and the user accounts."""
    tables: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_config.name.startswith("gongkai.") or meta.label == settings.AUTH_USER_MODEL:
            tables.append(meta.db_table)
    return sorted(set(tables))


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The data tables (see :func:`data_tables`) that have at least one row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        busy = []
        for table in data_tables():
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
                if cursor.fetchone() is not None:
                    busy.append(table)
    return busy


def _restore_sqlite(connection: BaseDatabaseWrapper, backup_file: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("不能恢复到内存中的 SQLite 数据库。"))
    source = sqlite3.connect(backup_file.absolute().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(name, timeout=20)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, backup_file: Path) -> None:
    pg_restore = find_pg_program("pg_restore")
    args, env = _pg_command(connection)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            *args,
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(backup_file),
        ],
        env,
    )


def _known_migrations() -> set[str]:
    nodes = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    return {f"{app}.{name}" for app, name in nodes}


def restore_backup(
    source: Path | str, *, using: str = DEFAULT_DB_ALIAS, media_root: Path | str | None = None
) -> RestoreReport:
    """Restore the backup in ``source`` into the empty database ``using`` and ``media_root``.

    Checks, in order: every file's hash, the database vendor, that the installed version knows
    every migration of the backup, and that the database has no data. Then restores the database,
    copies the media files (replacing files of the same name) and counts the rows of every table
    of the manifest. Raises :class:`BackupError` before writing anything if a check fails.
    """
    source = Path(source)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    manifest = verify_backup(source)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("这是 %(backup)s 数据库的备份，当前配置的是 %(current)s 数据库，不能直接恢复。")
            % {"backup": vendor, "current": connection.vendor}
        )
    applied = set(manifest["migrations"])
    known = _known_migrations()
    unknown = sorted(applied - known)
    if unknown:
        raise BackupError(
            _(
                "备份来自更新的 Gongkai 版本（%(version)s），含有本版本没有的数据库迁移：%(names)s。请先升级。"
            )
            % {"version": manifest.get("gongkai_version", "?"), "names": _names(unknown)}
        )
    if vendor == "sqlite":  # a new database file may go into a new directory
        Path(str(connection.settings_dict["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    busy = non_empty_tables(using)
    if busy:
        raise BackupError(
            _(
                "目标数据库不是空的（%(tables)s 中已有数据），为免覆盖，恢复只写入空数据库。"
                "请先新建一个空数据库，不要对它运行 gongkai migrate：SQLite 把 GONGKAI_DATABASE_URL "
                "（或 GONGKAI_VAR_DIR）指向一个尚不存在的文件；PostgreSQL 用 createdb 新建数据库"
                "（例如 createdb -O gongkai gongkai_restored）并把 GONGKAI_DATABASE_URL 指向它。"
            )
            % {"tables": _names(busy)}
        )
    database_file = source / manifest["database"]["file"]
    connection.close()
    if vendor == "sqlite":
        _restore_sqlite(connection, database_file)
    else:
        _restore_postgresql(connection, database_file)
    connection.close()

    report = RestoreReport()
    for name in manifest["files"]:
        if name.startswith(f"{MEDIA_DIR}/"):
            destination = media / name[len(MEDIA_DIR) + 1 :]
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.is_symlink():
                destination.unlink()  # replace the link itself, never write where it points
            shutil.copy2(source / name, destination)
            report.media_files += 1

    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table, expected in sorted(manifest["tables"].items()):
            actual = None
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
                actual = int(cursor.fetchone()[0])
            report.tables[table] = (expected, actual)
    report.pending_migrations = sorted(known - applied)
    return report
