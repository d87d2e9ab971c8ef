"""Seed data of the API tests, made through the real services (intake, publications, reports)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.test import TestCase

from gongkai.applications import intake
from gongkai.applications.models import Application, Channel
from gongkai.core.dates import SHANGHAI, override_today
from gongkai.publications import services as publications
from gongkai.publications.models import Column, Document
from gongkai.reports import locking
from gongkai.reports.models import AnnualReport, Scope

MONDAY = dt.date(2026, 3, 2)

APPLICANT: dict[str, str] = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "contact_person": "",
    "phone": "13912345678",
    "email": "zhang@example.cn",
    "address": "内蒙古兴安盟乌兰浩特市兴安北大路1号",
    "postcode": "137400",
    "description": "请公开2025年本机关部门预算。",
    "document_hint": "",
    "form_wanted": "paper",
    "delivery": "post",
}


def submission(agency_code: str, **overrides: Any) -> dict[str, Any]:
    """A valid body for ``POST /api/v1/requests``."""
    body: dict[str, Any] = {"agency": agency_code, **APPLICANT, "secret": "mima-123456"}
    body.update(overrides)
    return body


def in_person_request(agency, day: dt.date = MONDAY, **overrides: Any) -> Application:
    arrived_at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)
    with override_today(day):
        return intake.create_application(
            agency,
            applicant={**APPLICANT, **overrides},
            channel=Channel.IN_PERSON,
            arrived_at=arrived_at,
            secret="mima-123456",
        )


def published_document(world: Any, agency, title: str, reviewer=None, officer=None) -> Document:
    """Drafted, submitted and published through the services; indexed for search (the index is
    updated on commit, which the test transaction never reaches, so the callbacks run here)."""
    officer = officer or world.officer
    reviewer = reviewer or world.reviewer
    document = draft_document(officer, agency, title)
    publications.submit(officer, document)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publications.review_and_publish(reviewer, document, note="不涉密")


def draft_document(officer: Any, agency, title: str) -> Document:
    data = publications.DocumentInput(
        column=Column.objects.get(agency=agency, code="policies"),
        title=title,
        body_html="<p>各旗县市人民政府，盟直各部门：现将有关事项通知如下。</p>",
        formed_or_changed_on=dt.date(2026, 3, 10),
    )
    return publications.create_draft(officer, agency, data)


def published_report(world: Any, agency, year: int = 2025) -> AnnualReport:
    report = AnnualReport.objects.create(agency=agency, year=year, scope=Scope.SELF)
    locking.lock(report, world.head)
    return locking.publish(report, world.head)


def build_seed(world: Any) -> SimpleNamespace:
    from tests.factories import member

    sibling_reviewer = member(world.sibling, "reviewer", "sibling_reviewer")
    return SimpleNamespace(
        request=in_person_request(world.league),
        sibling_request=in_person_request(world.sibling, id_number="152501199002022342"),
        document=published_document(world, world.league, "关于做好2026年政府信息公开工作的通知"),
        draft=draft_document(world.officer, world.league, "关于印发某某办法的通知（草稿）"),
        sibling_document=published_document(
            world,
            world.sibling,
            "锡林郭勒盟关于某事项的通知",
            reviewer=sibling_reviewer,
            officer=world.sibling_officer,
        ),
        report=published_report(world, world.league),
    )
