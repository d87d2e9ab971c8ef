"""Credit-code validation on the model, and the Django admin for system administrators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.site import audit
from gongkai.site.models import AuditEntry
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

VALID = "91350100M000100Y43"
WRONG_CHECK = "91350100M000100Y44"


def test_a_valid_credit_code_passes_model_validation(world):
    world.league.credit_code = VALID
    world.league.full_clean()


def test_a_credit_code_with_a_wrong_check_character_fails_model_validation(world):
    world.league.credit_code = WRONG_CHECK
    with pytest.raises(ValidationError) as excinfo:
        world.league.full_clean()
    assert excinfo.value.message_dict["credit_code"] == [
        "统一社会信用代码校验位不正确（最后一位应为 3），请核对代码。"
    ]


def test_a_credit_code_with_forbidden_letters_fails_model_validation(world):
    world.league.credit_code = "91350100M000100YI3"  # I is not in the alphabet
    with pytest.raises(ValidationError, match="不含I、O、Z、S、V"):
        world.league.full_clean()


@pytest.fixture
def admin_client(client, world):
    world.outsider.is_superuser = True
    world.outsider.is_staff = True
    world.outsider.save()
    client.force_login(world.outsider)
    return client


def agency_form(agency: Agency, **changes) -> dict:
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": agency.parent_id or "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_refuses_a_credit_code_with_a_wrong_check_character(admin_client, world):
    url = reverse("admin:agencies_agency_change", args=[world.league.pk])
    response = admin_client.post(url, agency_form(world.league, credit_code=WRONG_CHECK))
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确（最后一位应为 3）" in response.content.decode()
    assert Agency.objects.get(pk=world.league.pk).credit_code == ""


def test_admin_accepts_a_valid_credit_code(admin_client, world):
    url = reverse("admin:agencies_agency_change", args=[world.league.pk])
    response = admin_client.post(url, agency_form(world.league, credit_code=VALID))
    assert response.status_code == 302
    assert Agency.objects.get(pk=world.league.pk).credit_code == VALID


def test_admin_moving_an_agency_moves_its_subtree(admin_client, world):
    township = AgencyFactory(parent=world.county, kind=AgencyKind.TOWNSHIP_GOVERNMENT)
    url = reverse("admin:agencies_agency_change", args=[world.county.pk])
    response = admin_client.post(url, agency_form(world.county, parent=world.sibling.pk))
    assert response.status_code == 302
    township.refresh_from_db()
    assert township.path.startswith(world.sibling.path)


@pytest.mark.parametrize(
    "name",
    [
        "admin:agencies_agency_changelist",
        "admin:agencies_membership_changelist",
        "admin:auth_user_changelist",
        "admin:gongkai_site_auditentry_changelist",
    ],
)
def test_admin_lists_open_for_a_system_administrator(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_admin_user_page_shows_memberships_inline(admin_client, world):
    html = admin_client.get(reverse("admin:auth_user_change", args=[world.head.pk])).content
    assert "岗位（所在机构和角色）" in html.decode()
    assert "兴安盟行政公署" in html.decode()


def test_admin_adds_a_membership_through_the_user_page(admin_client, world):
    user = world.county_officer
    url = reverse("admin:auth_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "is_active": "on",
            "user_permissions": [],
            "groups": [],
            "last_login_0": "",
            "last_login_1": "",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": user.memberships.get().pk,
            "memberships-0-user": user.pk,
            "memberships-0-agency": world.county.pk,
            "memberships-0-role": Role.OFFICER,
            "memberships-1-user": user.pk,
            "memberships-1-agency": world.county.pk,
            "memberships-1-role": Role.REVIEWER,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {Role.OFFICER, Role.REVIEWER}


def test_admin_audit_entries_are_read_only(admin_client, world):
    entry = audit.record(world.head, "agency.profile_update", world.league, agency=world.league)
    assert admin_client.get(reverse("admin:gongkai_site_auditentry_add")).status_code == 403
    detail = admin_client.get(reverse("admin:gongkai_site_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200, "a read-only view of the entry"
    assert 'name="_save"' not in detail.content.decode()
    delete = reverse("admin:gongkai_site_auditentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_admin_is_closed_to_staff_who_are_not_system_administrators(client, world):
    client.force_login(world.administrator)
    response = client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 302, "agency administrators do not use the Django admin"
