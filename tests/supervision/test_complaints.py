"""Complaints from the public (条例第四十七条、第五十一条): registered, assigned, answered, counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.dates import override_today
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site.models import AuditEntry
from gongkai.supervision import complaints
from gongkai.supervision.models import Complaint, ComplaintStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 8)


def register(world, unit=None, actor=None, **overrides):
    values = {
        "receiving_agency": world.league,
        "unit": unit or world.county,
        "complainant": "王某",
        "contact": "13800000000",
        "category": "request",
        "text": "申请超过20个工作日未答复。",
        "received_on": dt.date(2026, 4, 1),
    }
    values.update(overrides)
    with override_today(TODAY):
        return complaints.register(actor or world.supervisor, **values)


def test_a_supervisor_registers_a_complaint_about_a_unit(world):
    complaint = register(world)
    assert complaint.status == ComplaintStatus.RECEIVED
    assert AuditEntry.objects.filter(action="supervision.complaint_create").exists()


def test_a_complaint_about_a_unit_outside_the_office_is_refused(world):
    with pytest.raises(DomainError):
        register(world, unit=world.sibling)


def test_an_officer_cannot_register_complaints(world):
    with pytest.raises(PermissionDeniedError):
        register(world, actor=world.officer)


def test_the_assignee_answers_with_a_finding(world):
    complaint = register(world)
    complaints.assign(world.supervisor, complaint, world.county_officer)
    with override_today(TODAY):
        complaints.answer(
            world.county_officer,
            complaint,
            reply="已于4月7日答复申请人。",
            finding="substantiated",
            replied_on=TODAY,
        )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.finding) == (ComplaintStatus.REPLIED, "substantiated")


def test_an_answer_needs_a_finding_and_a_sensible_date(world):
    complaint = register(world)
    with override_today(TODAY), pytest.raises(DomainError):
        complaints.answer(world.supervisor, complaint, reply="x", finding="", replied_on=TODAY)
    with override_today(TODAY), pytest.raises(DomainError):
        complaints.answer(
            world.supervisor,
            complaint,
            reply="x",
            finding="unsubstantiated",
            replied_on=dt.date(2026, 3, 1),
        )


def test_the_register_page_creates_a_complaint(client, world):
    client.force_login(world.supervisor)
    with override_today(TODAY):
        response = client.post(
            reverse("supervision_staff:complaint_new"),
            {
                "receiving_agency": world.league.pk,
                "unit": "乌兰浩特市人民政府",
                "complainant": "李某",
                "contact": "0482-0000000",
                "category": "not_published",
                "text": "网站栏目长期不更新。",
                "received_on": "2026-04-02",
            },
        )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.unit == world.county


def test_the_list_counts_complaints_by_category(client, world):
    register(world)
    register(world, category="not_published", complainant="赵某")
    client.force_login(world.supervisor)
    with override_today(TODAY):
        response = client.get(reverse("supervision_staff:complaints") + "?year=2026")
    counts = response.context["counts"]
    assert (counts["total"], counts["request"], counts["not_published"]) == (2, 1, 1)


def test_complaints_of_another_league_are_not_found(client, world):
    complaint = register(world)
    client.force_login(world.sibling_officer)
    response = client.get(reverse("supervision_staff:complaint", args=[complaint.pk]))
    assert response.status_code == 404
