"""Hash-chain the audit log: sequence, prev_hash and entry_hash on every entry, a chain head.

Existing entries are chained in (created_at, id) order. The hashing is copied here (not imported
from gongkai.site.audit_chain) so this migration keeps producing the same chain if that module
changes later.
"""

import datetime as dt
import hashlib
import json

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

GENESIS_HASH = "0" * 64
BATCH = 1000


def _json_ready(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def _hash(entry, sequence, prev_hash):
    payload = {
        "sequence": sequence,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "agency_id": entry.agency_id,
        "changes": _json_ready(entry.changes),
        "created_at": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev_hash": prev_hash,
    }
    data = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def chain_existing_entries(apps, schema_editor):
    AuditEntry = apps.get_model("gongkai_site", "AuditEntry")
    AuditChainHead = apps.get_model("gongkai_site", "AuditChainHead")
    db = schema_editor.connection.alias
    entries = AuditEntry.objects.using(db).order_by("created_at", "id")
    sequence, prev_hash = 0, GENESIS_HASH
    after = None
    while True:
        page = entries
        if after is not None:
            page = entries.filter(
                Q(created_at__gt=after[0]) | Q(created_at=after[0], id__gt=after[1])
            )
        batch = list(page[:BATCH])
        if not batch:
            break
        for entry in batch:
            sequence += 1
            entry.changes = _json_ready(entry.changes if entry.changes is not None else {})
            entry.sequence = sequence
            entry.prev_hash = prev_hash
            entry.entry_hash = prev_hash = _hash(entry, sequence, prev_hash)
        AuditEntry.objects.using(db).bulk_update(
            batch, ["changes", "sequence", "prev_hash", "entry_hash"]
        )
        after = (batch[-1].created_at, batch[-1].id)
    if sequence:
        AuditChainHead.objects.using(db).create(id=1, sequence=sequence, entry_hash=prev_hash)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_separately_planned_postcode_pinyin"),
        ("gongkai_site", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="上一条哈希"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="本条哈希"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="机构",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="时间",
            ),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0, verbose_name="最后序号")),
                (
                    "entry_hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                        verbose_name="最后哈希",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "审计日志链头",
                "verbose_name_plural": "审计日志链头",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="site_auditchainhead_single_row"
                    )
                ],
            },
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
    ]
