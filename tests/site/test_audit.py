"""The audit log helper: append-only entries, before/after diffs, Chinese labels."""

from __future__ import annotations

import pytest

from gongkai.site import audit
from gongkai.site.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_keeps_only_the_changed_fields(world):
    entry = audit.record(
        world.head,
        "agency.profile_update",
        world.league,
        before={"phone": "1", "fax": "2"},
        after={"phone": "3", "fax": "2"},
    )
    assert entry.changes == {"fields": {"phone": ["1", "3"]}}
    assert entry.actor_name == world.head.get_full_name()


def test_entries_cannot_be_changed_once_written(world):
    entry = audit.record(world.head, "x.y", world.league)
    entry.action = "other"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()


def test_registered_actions_have_chinese_labels_and_unknown_ones_show_their_code():
    audit.register_action("test.example", "示例操作")
    assert audit.action_label("test.example") == "示例操作"
    assert audit.action_label("test.unregistered") == "test.unregistered"


def test_field_changes_use_the_models_verbose_names(world):
    entry = audit.record(
        world.head, "x", world.league, before={"fax": ""}, after={"fax": "0482-0100000"}
    )
    assert entry.field_changes() == [
        {"field": "fax", "label": "传真号码", "old": "", "new": "0482-0100000"}
    ]


def test_field_changes_of_an_unknown_object_type_fall_back_to_field_names(world):
    entry = AuditEntry.objects.create(
        action="x", object_type="nowhere.nothing", object_id="1", changes={"fields": {"a": [1, 2]}}
    )
    assert entry.field_changes() == [{"field": "a", "label": "a", "old": 1, "new": 2}]


def test_entries_for_lists_an_objects_entries_newest_first(world):
    first = audit.record(world.head, "a", world.league)
    second = audit.record(world.head, "b", world.league)
    audit.record(world.head, "c", world.sibling)
    assert list(audit.entries_for(world.league)) == [second, first]


def test_field_changes_name_foreign_keys_stored_by_their_column(world):
    entry = audit.record(
        world.head,
        "x",
        world.county,
        before={"parent_id": world.league.pk},
        after={"parent_id": world.sibling.pk},
    )
    assert entry.field_changes()[0]["label"] == "上级机构"
