"""One object of every kind per agency, for the permission matrix.

:func:`build` adds to the shared ``world`` (tests/factories.py) a superuser who creates the rows,
a department under the sibling league, and for each of the league (the users' own agency), the
sibling league and the region (the parent) a :class:`Objects` bundle: a request with an
attachment, a reply, a letter and an appeal; a draft document with an attachment and an
interpretation; an annual report; a supervision task (the agency is both supervising office and
lead unit) with a progress report, its attachment and an evidence file; an assessment indicator;
a complaint. Rows are written with the ORM or the real services, never mocked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile

from gongkai.agencies.models import Agency
from gongkai.applications.models import Appeal, Attachment
from gongkai.applications.outcomes import Outcome
from gongkai.letters import services as letters
from gongkai.letters.models import Letter
from gongkai.publications import services as publications
from gongkai.publications.models import Attachment as DocumentAttachment
from gongkai.publications.models import Column, Document, Interpretation
from gongkai.reports.models import AnnualReport, Scope
from gongkai.supervision.models import (
    ActionKind,
    Complaint,
    Indicator,
    ProgressAttachment,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskUnit,
    UnitRole,
)
from tests.factories import AgencyFactory, UserFactory
from tests.letters.factories import make_application, reply

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
REPORT_YEAR = 2025
#: The letter kind of the reply event each request gets.
LETTER_KIND = "reply_disclosed"


@dataclass
class Objects:
    """Everything one agency owns."""

    agency: Agency
    application: Any
    attachment: Attachment
    event: Any
    letter: Letter
    appeal: Appeal
    document: Document
    document_attachment: DocumentAttachment
    interpretation: Interpretation
    report: AnnualReport
    task: SupervisionTask
    unit: TaskUnit
    progress_attachment: ProgressAttachment
    evidence: TaskAction
    indicator: Indicator
    complaint: Complaint


def fast_letters(monkeypatch: Any) -> None:
    """Letters need bytes, not real documents: stand-in renderings (as tests/letters do)."""
    monkeypatch.setattr(letters, "render_pdf", lambda doc, plan: f"%PDF {doc.number}".encode())
    monkeypatch.setattr(letters, "render_docx", lambda doc: f"DOCX {doc.number}".encode())


def _document(actor: Any, agency: Agency, title: str) -> Document:
    data = publications.DocumentInput(
        column=Column.objects.get(agency=agency, code="policies"),
        title=title,
        body_html="<p>现将有关事项通知如下。</p>",
        formed_or_changed_on=dt.date(2026, 3, 10),
    )
    return publications.create_draft(actor, agency, data)


def objects_of(agency: Agency, actor: Any) -> Objects:
    application = make_application(agency)
    Attachment.objects.create(
        application=application,
        file=ContentFile(PDF, name="id.pdf"),
        original_name="身份证明.pdf",
        stored_name="id.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    event = reply(application, Outcome.DISCLOSED)
    letter = letters.issue(application, event, LETTER_KIND, inputs={}, actor=actor)
    appeal = Appeal.objects.create(
        application=application, kind="review", body="某某人民政府", filed_on=dt.date(2026, 3, 9)
    )
    document = _document(actor, agency, f"{agency.short_name}关于某事项的通知")
    document_attachment = publications.add_attachment(
        actor, document, ContentFile(PDF, name="附件.pdf"), "附件.pdf"
    )
    explained = _document(actor, agency, f"{agency.short_name}关于某事项的解读")
    interpretation = Interpretation.objects.create(
        document=document, interpretation=explained, created_by=actor
    )
    task = SupervisionTask.objects.create(
        supervising_agency=agency,
        year=2026,
        number=f"测{agency.pk}",
        title="测试督办任务",
        issued_on=dt.date(2026, 3, 2),
        due_on=dt.date(2026, 6, 30),
    )
    unit = TaskUnit.objects.create(task=task, agency=agency, role=UnitRole.LEAD)
    progress = ProgressReport.objects.create(
        unit=unit, period=dt.date(2026, 3, 1), text="已完成", author=actor
    )
    progress_attachment = ProgressAttachment.objects.create(
        report=progress,
        file=ContentFile(PDF, name="p.pdf"),
        original_name="进展.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    evidence = TaskAction.objects.create(
        task=task,
        kind=ActionKind.COMMENT,
        text="批注",
        file=ContentFile(PDF, name="e.pdf"),
        original_name="依据.pdf",
        content_type="application/pdf",
        size=len(PDF),
        on=dt.date(2026, 3, 3),
    )
    return Objects(
        agency=agency,
        application=application,
        attachment=application.attachments.get(),
        event=event,
        letter=letter,
        appeal=appeal,
        document=document,
        document_attachment=document_attachment,
        interpretation=interpretation,
        report=AnnualReport.objects.create(agency=agency, year=REPORT_YEAR, scope=Scope.SELF),
        task=task,
        unit=unit,
        progress_attachment=progress_attachment,
        evidence=evidence,
        indicator=Indicator.objects.create(
            supervising_agency=agency, year=2026, name="人工指标", weight=10, rule="manual"
        ),
        complaint=Complaint.objects.create(
            receiving_agency=agency,
            unit=agency,
            complainant="李四",
            contact="13900000000",
            category="other",
            text="投诉内容",
            received_on=dt.date(2026, 3, 5),
        ),
    )


def build(world: SimpleNamespace) -> SimpleNamespace:
    """Add the objects to ``world``: ``world.objects[owner]`` for owner own/sibling/parent."""
    root = UserFactory(username="seed_root", is_superuser=True, is_staff=True)
    AgencyFactory(name="锡林郭勒盟教育局", parent=world.sibling)
    world.root = root
    world.objects = {
        "own": objects_of(world.league, root),
        "sibling": objects_of(world.sibling, root),
        "parent": objects_of(world.region, root),
    }
    return world
