"""Load the editable category list and give existing agencies the standard columns."""

import json
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_categories(apps, schema_editor):
    Category = apps.get_model("publications", "Category")
    with open(DATA_DIR / "categories.json", encoding="utf-8") as handle:
        entries = json.load(handle)["categories"]
    for order, entry in enumerate(entries, start=1):
        Category.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "basis": entry.get("basis", ""),
                "order": order,
            },
        )


def create_columns(apps, schema_editor):
    from gongkai.publications.columns import ensure_standard_columns

    Agency = apps.get_model("agencies", "Agency")
    Column = apps.get_model("publications", "Column")
    for agency in Agency.objects.all():
        ensure_standard_columns(agency, column_model=Column)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_categories, migrations.RunPython.noop),
        migrations.RunPython(create_columns, migrations.RunPython.noop),
    ]
