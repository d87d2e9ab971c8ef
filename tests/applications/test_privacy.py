"""Applicants' personal data: encrypted at rest, masked unless handling, erased after retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from gongkai.apitokens import tokens
from gongkai.applications import intake, privacy, services
from gongkai.applications.models import (
    AppealKind,
    AppealResult,
    Application,
    Attachment,
)
from gongkai.core import crypto
from gongkai.core.dates import override_today
from gongkai.reports import compute
from gongkai.site.models import AuditEntry
from tests.applications.conftest import applicant, make_request
from tests.reports.helpers import request as stats_request

ID = "11010519491231002X"
ID_MASKED = "110105********002X"
PHONE = "13912345678"
PHONE_MASKED = "139****5678"
TODAY = dt.date(2026, 4, 30)
D = dt.date


def raw_row(table: str, pk: int, *columns: str) -> tuple:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table)} WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def raw_update(table: str, pk: int, **values: str) -> None:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(table)} SET {sets} WHERE id = %s", [*values.values(), pk])


# --- encryption at rest ---------------------------------------------------------------------------


def test_the_database_holds_no_plain_identity_number_or_phone(world):
    app = make_request(world.league)
    id_raw, phone_raw, index = raw_row(
        "applications_application", app.pk, "id_number", "phone", "id_number_index"
    )
    assert ID not in id_raw and "1949" not in id_raw, f"plain identity number stored: {id_raw}"
    assert PHONE not in phone_raw and "5678" not in phone_raw, f"plain phone stored: {phone_raw}"
    assert index == crypto.blind_index(ID, "identity") and ID not in index


def test_reading_a_request_decrypts_its_personal_data(world):
    app = make_request(world.league)
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.id_number, fresh.phone) == (ID, PHONE)


def test_a_complaint_contact_is_encrypted_too(world):
    from gongkai.supervision.models import Complaint, ComplaintCategory

    complaint = Complaint.objects.create(
        receiving_agency=world.league,
        unit=world.county,
        complainant="李四",
        contact=PHONE,
        category=ComplaintCategory.values[0],
        text="未按时答复",
        received_on=TODAY,
    )
    (contact_raw,) = raw_row("supervision_complaint", complaint.pk, "contact")
    assert PHONE not in contact_raw
    assert Complaint.objects.get(pk=complaint.pk).contact == PHONE


def test_the_data_migration_encrypts_plain_rows_once(world):
    app = make_request(world.league)
    raw_update("applications_application", app.pk, id_number=ID, phone=PHONE, id_number_index="")
    columns = ["id_number", "phone"]
    indexes = {"id_number_index": ("id_number", "identity")}
    changed = crypto.encrypt_columns(connection, "applications_application", columns, indexes)
    assert changed == 1
    id_raw, phone_raw, index = raw_row(
        "applications_application", app.pk, "id_number", "phone", "id_number_index"
    )
    assert ID not in id_raw and PHONE not in phone_raw
    assert index == crypto.blind_index(ID, "identity")
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.id_number, fresh.phone) == (ID, PHONE)
    again = crypto.encrypt_columns(connection, "applications_application", columns)
    assert again == 0, "already encrypted rows are left alone"
    assert raw_row("applications_application", app.pk, "id_number")[0] == id_raw


def test_the_reverse_migration_decrypts(world):
    app = make_request(world.league)
    crypto.encrypt_columns(connection, "applications_application", ["id_number"], reverse=True)
    assert raw_row("applications_application", app.pk, "id_number")[0] == ID


def test_earlier_requests_of_the_same_applicant_are_still_found(world):
    first = make_request(world.league, arrived_on=D(2026, 3, 2))
    second = make_request(world.league, arrived_on=D(2026, 3, 3), id_number="11010519491231002x")
    other = make_request(world.league, arrived_on=D(2026, 3, 4), id_number="152201198001011237")
    assert services.previous_applications_in_month(first) == 0
    assert services.previous_applications_in_month(second) == 1, "matched by the blind index"
    assert services.previous_applications_in_month(other) == 0


def test_staff_can_search_by_a_whole_identity_number(client, world):
    app = make_request(world.league)
    other = make_request(world.league, id_number="152201198001011237")
    client.force_login(world.officer)
    page = client.get(reverse("applications_staff:ledger"), {"q": ID.lower()}).content.decode()
    assert app.tracking_code in page and other.tracking_code not in page


def test_rotate_keys_re_encrypts_every_row_with_the_first_key(world):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(GONGKAI_FIELD_KEYS=[old]):
        app = make_request(world.league)
    (before,) = raw_row("applications_application", app.pk, "id_number")
    with override_settings(GONGKAI_FIELD_KEYS=[new, old]):
        assert Application.objects.get(pk=app.pk).id_number == ID, "old key still decrypts"
        out = io.StringIO()
        call_command("privacy", "rotate-keys", stdout=out)
    assert "applications.Application: 1" in out.getvalue()
    (after,) = raw_row("applications_application", app.pk, "id_number")
    assert after != before
    assert MultiFernet([Fernet(new)]).decrypt(after.encode()).decode() == ID
    with override_settings(GONGKAI_FIELD_KEYS=[new]):
        fresh = Application.objects.get(pk=app.pk)
        assert (fresh.id_number, fresh.phone) == (ID, PHONE), "the old key can now be removed"
        assert fresh.id_number_index == crypto.blind_index(ID, "identity")


def test_a_wrong_key_fails_loudly_when_reading(world):
    app = make_request(world.league)
    with override_settings(GONGKAI_FIELD_KEYS=[Fernet.generate_key().decode()]):
        with pytest.raises(crypto.DecryptionError, match=r"applications\.Application\.id_number"):
            Application.objects.get(pk=app.pk)
        with pytest.raises(CommandError, match="GONGKAI_FIELD_KEYS"):
            call_command("privacy", "rotate-keys", stdout=io.StringIO())


# --- who sees the full value ---------------------------------------------------------------------


@pytest.fixture
def county_request(world):
    return make_request(world.county)


ROLE_TABLE = [
    # (user attribute of world, request fixture, sees in full)
    ("officer", "request_in_league", True),
    ("head", "request_in_league", True),
    ("reviewer", "request_in_league", False),
    ("supervisor", "request_in_league", False),
    ("administrator", "request_in_league", False),
    ("region_supervisor", "request_in_league", False),
    ("county_officer", "county_request", True),
    ("officer", "county_request", False),  # not a member of the county: 404
    ("supervisor", "county_request", False),  # league supervisor over the county
]


@pytest.mark.parametrize(("who", "which", "full"), ROLE_TABLE)
def test_only_the_handling_officers_see_the_full_values_on_the_request_page(
    client, world, request, who, which, full
):
    app = request.getfixturevalue(which)
    client.force_login(getattr(world, who))
    response = client.get(reverse("applications_staff:detail", args=[app.pk]))
    page = response.content.decode()
    if response.status_code == 404:
        assert not full
        return
    assert (ID in page, PHONE in page) == (full, full), f"{who} on {which}: full={full}"
    if not full:
        assert ID_MASKED in page and PHONE_MASKED in page, f"{who} sees the masked values"


@pytest.mark.parametrize(("who", "which", "full"), ROLE_TABLE)
def test_the_api_follows_the_same_rule(world, request, who, which, full):
    app = request.getfixturevalue(which)
    token = tokens.create_token(getattr(world, who), "测试")[1]
    response = Client().get(
        f"/api/v1/staff/requests/{app.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    if response.status_code == 404:
        assert not full
        return
    body = response.json()
    expected = (ID, PHONE) if full else (ID_MASKED, PHONE_MASKED)
    assert (body["id_number"], body["phone"]) == expected, who
    assert body["personal_data_full"] is full


def test_a_superuser_without_membership_sees_masked_values(client, world, request_in_league):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    page = client.get(reverse("applications_staff:detail", args=[request_in_league.pk]))
    assert ID not in page.content.decode() and ID_MASKED in page.content.decode()


def test_lists_never_show_the_values(client, world, request_in_league):
    client.force_login(world.officer)
    for name in ("applications_staff:inbox", "applications_staff:ledger"):
        page = client.get(reverse(name)).content.decode()
        assert request_in_league.tracking_code in page
        assert ID not in page and PHONE not in page, name


def test_exports_carry_masked_values(client, world, request_in_league):
    client.force_login(world.officer)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("applications_staff:ledger_export", args=[fmt]))
        content = response.content
        if fmt == "xlsx":
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
            content = json.dumps(list(sheet.iter_rows(values_only=True)), default=str).encode()
        text = content.decode("utf-8-sig")
        assert ID_MASKED in text and PHONE_MASKED in text, fmt
        assert ID not in text and PHONE not in text, fmt


def test_the_api_list_never_shows_the_values(world, request_in_league):
    token = tokens.create_token(world.officer, "测试")[1]
    response = Client().get("/api/v1/staff/requests", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert ID not in response.content.decode() and PHONE not in response.content.decode()


def test_the_admin_shows_masked_values(client, world, request_in_league):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    listing = client.get(reverse("admin:applications_application_changelist")).content.decode()
    change = client.get(
        reverse("admin:applications_application_change", args=[request_in_league.pk])
    ).content.decode()
    for page in (listing, change):
        assert ID not in page and PHONE not in page
    assert ID_MASKED in listing and ID_MASKED in change and PHONE_MASKED in change


def test_the_public_tracking_pages_never_show_the_values(world):
    with override_today(D(2026, 3, 2)):
        app = intake.create_application(
            world.league,
            applicant=applicant(),
            channel="online",
            arrived_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
            secret="track-me-123",
        )
    visitor = Client()
    response = visitor.post(
        reverse("applications:track"), {"code": app.tracking_code, "secret": "track-me-123"}
    )
    assert response.status_code == 302
    page = visitor.get(response["Location"]).content.decode()
    assert app.tracking_code in page
    for value in (ID, PHONE, ID_MASKED, PHONE_MASKED):
        assert value not in page, f"{value} on the public tracking page"
    body = visitor.post(
        "/api/v1/requests/status",
        {"tracking_code": app.tracking_code, "secret": "track-me-123"},
        content_type="application/json",
    ).content.decode()
    assert ID not in body and PHONE not in body


# --- erasure after the retention period ---------------------------------------------------------


@pytest.fixture
def archive(world, settings, tmp_path):
    """Requests of 2022 (closed long ago), one with a pending lawsuit, and one closed in 2025."""
    settings.MEDIA_ROOT = tmp_path / "media"
    old = [
        stats_request(
            world.league, received_on=D(2022, 3, 1), closed_on=D(2022, 3, 20), outcome="disclosed"
        ),
        stats_request(
            world.league,
            received_on=D(2022, 5, 9),
            closed_on=D(2022, 6, 1),
            outcome="withheld_third_party_rights",
            applicant_type="commercial",
        ),
        stats_request(
            world.league,
            received_on=D(2022, 11, 1),
            closed_on=D(2022, 11, 20),
            outcome="partially_disclosed",
        ),
    ]
    for app in old:
        Application.objects.filter(pk=app.pk).update(
            email="a@example.cn",
            address="乌兰浩特市兴安北大路1号",
            postcode="137400",
            contact_person="王五",
        )
    old[1].appeals.create(
        kind=AppealKind.REVIEW,
        body="兴安盟行政公署",
        filed_on=D(2022, 7, 1),
        result=AppealResult.UPHELD,
        decided_on=D(2022, 9, 1),
    )
    Attachment.objects.create(
        application=old[0],
        file=ContentFile(b"%PDF-1.4 id card", name="id.pdf"),
        original_name="身份证.pdf",
        stored_name="a1.pdf",
        content_type="application/pdf",
        size=16,
        sha256="0" * 64,
    )
    pending = stats_request(
        world.league, received_on=D(2022, 4, 1), closed_on=D(2022, 4, 20), outcome="disclosed"
    )
    pending.appeals.create(
        kind=AppealKind.LAWSUIT_DIRECT, body="乌兰浩特市人民法院", filed_on=D(2022, 6, 1)
    )
    recent = stats_request(
        world.league, received_on=D(2025, 3, 1), closed_on=D(2025, 3, 20), outcome="disclosed"
    )
    return {"old": old, "pending": pending, "recent": recent}


def erase_command(*args: str) -> str:
    out = io.StringIO()
    with override_today(TODAY):
        call_command("privacy", "erase", *args, stdout=out)
    return out.getvalue()


def test_erase_removes_the_personal_data_and_the_applicants_files(
    world, archive, django_capture_on_commit_callbacks
):
    path = archive["old"][0].attachments.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        output = erase_command()
    assert "3 件申请" in output and "1 个附件" in output, output
    for app in archive["old"]:
        app.refresh_from_db()
        assert app.applicant_name == "（已删除）"
        assert (app.id_number, app.phone, app.email, app.address, app.postcode) == ("",) * 5
        assert app.contact_person == "" and app.id_number_index == ""
        assert app.personal_data_erased_on == TODAY
        assert app.applicant_type and app.outcome and app.closed_on, "statistics fields stay"
    assert not Attachment.objects.filter(application__in=archive["old"]).exists()
    assert not os.path.exists(path), "the uploaded file is deleted from storage"


def test_erase_keeps_requests_within_retention_or_under_appeal(world, archive):
    erase_command()
    for key in ("pending", "recent"):
        app = Application.objects.get(pk=archive[key].pk)
        assert app.personal_data_erased_on is None and app.id_number.startswith("P"), key


def test_the_annual_report_is_identical_after_erasure(world, archive):
    before = compute.compute(world.league, 2022).to_json()
    erase_command()
    after = compute.compute(world.league, 2022).to_json()
    assert after == before


def test_erase_is_idempotent_and_audited(world, archive):
    erase_command()
    second = erase_command()
    assert "0 件申请" in second, second
    entries = AuditEntry.objects.filter(action=privacy.ERASE_ACTION)
    assert entries.count() == 3, "one audit entry per erased request, none for the second run"
    changes = json.dumps(entries.first().changes, ensure_ascii=False)
    assert "P0" not in changes and "0482" not in changes, "the audit entry holds no erased value"


def test_a_dry_run_changes_nothing(world, archive):
    before = list(Application.objects.order_by("pk").values_list("pk", "applicant_name"))
    output = erase_command("--dry-run")
    assert "试运行" in output and "3 件申请" in output, output
    after = list(Application.objects.order_by("pk").values_list("pk", "applicant_name"))
    assert after == before
    assert Attachment.objects.count() == 1
    assert not AuditEntry.objects.filter(action=privacy.ERASE_ACTION).exists()


def test_before_may_not_cut_into_the_retention_period(world, archive):
    with pytest.raises(CommandError, match="保存期限"):
        erase_command("--before", "2025-06-01")
    assert "1 件申请" in erase_command("--before", "2022-04-01")
    with pytest.raises(CommandError, match="日期"):
        erase_command("--before", "2022-13-01")


def test_the_retention_period_is_a_setting(world, archive, settings):
    settings.GONGKAI_RETENTION_YEARS = 10
    assert "0 件申请" in erase_command()
    assert privacy.retention_cutoff(D(2028, 2, 29), 3) == D(2025, 2, 28)


def test_an_erased_request_says_so_on_the_staff_page(client, world, archive):
    erase_command()
    client.force_login(world.officer)
    page = client.get(
        reverse("applications_staff:detail", args=[archive["old"][0].pk])
    ).content.decode()
    assert "个人信息已按保存期限删除" in page
