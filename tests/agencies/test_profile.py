"""Editing an agency's profile (contacts and 公开指南): validation, audit, permissions."""

from __future__ import annotations

import pytest

from gongkai.agencies.models import Agency
from gongkai.agencies.profile import AUDIT_ACTION, update_profile
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site.audit import entries_for

pytestmark = pytest.mark.django_db

VALID_CREDIT_CODE = "91350100M000100Y43"


def test_head_updates_contact_fields_and_guide(world):
    update_profile(
        world.league,
        {"phone": "0482-0111111", "guide_text": "新的指南", "credit_code": VALID_CREDIT_CODE},
        actor=world.head,
    )
    agency = Agency.objects.get(pk=world.league.pk)
    assert (agency.phone, agency.guide_text, agency.credit_code) == (
        "0482-0111111",
        "新的指南",
        VALID_CREDIT_CODE,
    )


def test_update_writes_one_audit_entry_with_before_and_after(world):
    Agency.objects.filter(pk=world.league.pk).update(phone="0482-0000001")
    world.league.refresh_from_db()
    update_profile(world.league, {"phone": "0482-0000002"}, actor=world.head)
    entries = list(entries_for(world.league))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.actor, entry.agency) == (AUDIT_ACTION, world.head, world.league)
    assert entry.changes["fields"] == {"phone": ["0482-0000001", "0482-0000002"]}


def test_audit_entry_shows_field_names_in_chinese(world):
    update_profile(world.league, {"postcode": "137400"}, actor=world.head)
    change = entries_for(world.league).get().field_changes()
    assert change == [{"field": "postcode", "label": "邮政编码", "old": "", "new": "137400"}]


def test_an_unchanged_profile_writes_no_audit_entry(world):
    update_profile(world.league, {"phone": world.league.phone}, actor=world.head)
    assert not entries_for(world.league).exists()


def test_lowercase_credit_code_is_stored_in_capitals(world):
    update_profile(world.league, {"credit_code": VALID_CREDIT_CODE.lower()}, actor=world.head)
    assert Agency.objects.get(pk=world.league.pk).credit_code == VALID_CREDIT_CODE


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91350100M000100Y44", "统一社会信用代码校验位不正确（最后一位应为 3）"),
        ("credit_code", "12345", "统一社会信用代码应为18位"),
        ("email", "not-an-address", "有效的"),
        ("postcode", "13740", "邮政编码应为6位数字"),
        ("postcode", "13740A", "邮政编码应为6位数字"),
    ],
)
def test_invalid_values_are_refused_with_a_chinese_message_and_nothing_saved(
    world, field, value, message
):
    with pytest.raises(DomainError) as excinfo:
        update_profile(world.league, {field: value, "phone": "0482-0999999"}, actor=world.head)
    assert message in excinfo.value.message
    assert excinfo.value.field == field
    agency = Agency.objects.get(pk=world.league.pk)
    assert agency.phone != "0482-0999999", "a valid field was saved beside an invalid one"
    assert not entries_for(world.league).exists()


def test_fields_outside_the_profile_cannot_be_changed_here(world):
    with pytest.raises(DomainError, match="不能在此修改这些字段：name"):
        update_profile(world.league, {"name": "别的名称"}, actor=world.head)


@pytest.mark.parametrize("role", ["officer", "reviewer", "supervisor"])
def test_only_administrators_and_heads_may_update(world, role):
    with pytest.raises(PermissionDeniedError):
        update_profile(world.league, {"phone": "0482-0111111"}, actor=getattr(world, role))


def test_administrator_of_a_league_may_update_an_agency_below_it(world):
    update_profile(world.county, {"phone": "0482-0222222"}, actor=world.administrator)
    assert Agency.objects.get(pk=world.county.pk).phone == "0482-0222222"
