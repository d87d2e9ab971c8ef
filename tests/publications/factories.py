"""Factories and helpers for publications tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from gongkai.agencies.models import Agency
from gongkai.publications import services
from gongkai.publications.models import Column, Document, DocumentStatus


def column(agency: Agency, code: str = "policies") -> Column:
    return Column.objects.get(agency=agency, code=code)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A draft document in the agency's 政策文件 column (use ``published_document`` to publish)."""

    class Meta:
        model = Document

    agency = factory.SelfAttribute("column.agency")
    column = factory.LazyAttribute(
        lambda o: Column.objects.get(agency=o.agency_obj, code="policies")
    )
    title = factory.Sequence(lambda n: f"关于做好政府信息公开工作的通知（{n}）")
    body_html = "<p>各旗县市人民政府，盟直各部门：现将有关事项通知如下。</p>"
    body_text = "各旗县市人民政府，盟直各部门：现将有关事项通知如下。"
    formed_or_changed_on = dt.date(2026, 1, 5)
    status = DocumentStatus.DRAFT

    class Params:
        agency_obj = None


def draft(actor: Any, agency: Agency, **overrides: Any) -> Document:
    """A draft created through the service (so it is audited and validated)."""
    values: dict[str, Any] = {
        "column": column(agency, overrides.pop("column_code", "policies")),
        "title": "关于做好政府信息公开工作的通知",
        "body_html": "<p>各旗县市人民政府，盟直各部门：现将有关事项通知如下。</p>",
        "formed_or_changed_on": dt.date(2026, 1, 5),
    }
    values.update(overrides)
    return services.create_draft(actor, agency, services.DocumentInput(**values))


def published(world: Any, agency: Agency | None = None, **overrides: Any) -> Document:
    """A document drafted by the world's officer and published by its reviewer."""
    agency = agency or world.league
    document = draft(world.officer, agency, **overrides)
    services.submit(world.officer, document)
    return services.review_and_publish(world.reviewer, document, note="不涉密")
