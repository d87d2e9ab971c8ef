"""Per-agency letter templates and settings, edited by heads and administrators (audit-logged).

A template is validated before it is saved (:func:`gongkai.letters.templating.validate`): unknown
variables, forbidden tags or filters and missing required elements are refused with the reason.
Resetting deletes the agency's own template, so the shipped default applies again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import has_role
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.letters import content, kinds, sample, templating
from gongkai.letters.kinds import KindSpec
from gongkai.letters.models import LetterSettings, LetterTemplate
from gongkai.letters.permissions import TEMPLATE_ROLES
from gongkai.letters.rendering.pdf import render_html
from gongkai.site import audit

audit.register_action("letters.template_save", gettext_lazy("修改文书模板"))
audit.register_action("letters.template_reset", gettext_lazy("恢复默认文书模板"))
audit.register_action("letters.settings_save", gettext_lazy("修改文书设置"))

SETTINGS_FIELDS = (
    "receipt_code",
    "notice_code",
    "consultation_code",
    "reply_code",
    "letterhead",
    "letterhead_name",
    "signature_name",
    "review_body",
    "superior_department",
)


def _require_editor(actor: Any, agency: Agency) -> None:
    if not has_role(actor, agency, TEMPLATE_ROLES):
        raise PermissionDeniedError(_("只有本机关负责人或管理员可以修改文书模板和文书设置。"))


def save_template(
    agency: Agency, spec: KindSpec, *, title: str, body: str, actor: Any
) -> LetterTemplate:
    """Validate and save the agency's own template of ``spec``."""
    _require_editor(actor, agency)
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    templating.validate(spec, title, body)
    with transaction.atomic():
        current = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=spec.code)
        own = current.first()
        before = (
            {"title": own.title, "body": own.body}
            if own is not None
            else {"title": content.default_template(spec).title, "body": "（默认模板）"}
        )
        if own is None:
            own = LetterTemplate(agency=agency, kind=spec.code)
        own.title = title
        own.body = body
        own.updated_by = actor if getattr(actor, "pk", None) else None
        own.save()
        audit.record(
            actor,
            "letters.template_save",
            own,
            agency=agency,
            before=before,
            after={"title": title, "body": body},
            extra={"kind": spec.code},
        )
    return own


def reset_template(agency: Agency, spec: KindSpec, *, actor: Any) -> None:
    """Delete the agency's own template of ``spec`` (the shipped default applies again)."""
    _require_editor(actor, agency)
    with transaction.atomic():
        own = (
            LetterTemplate.objects.select_for_update().filter(agency=agency, kind=spec.code).first()
        )
        if own is None:
            return
        audit.record(
            actor,
            "letters.template_reset",
            own,
            agency=agency,
            before={"title": own.title, "body": own.body},
            after={"title": content.default_template(spec).title, "body": "（默认模板）"},
            extra={"kind": spec.code},
        )
        own.delete()


@dataclass
class TemplatePreview:
    errors: list[str] = field(default_factory=list)
    """Why the template would be refused (empty when valid)."""
    problems: list[str] = field(default_factory=list)
    """Values the sample could not fill (e.g. a missing review body)."""
    html: str = ""


def preview_template(agency: Agency, spec: KindSpec, *, title: str, body: str) -> TemplatePreview:
    """Validate ``title``/``body`` and render them against a sample request of the agency."""
    source = content.TemplateSource((title or "").strip(), body or "", "preview")
    try:
        templating.validate(spec, source.title, source.body)
    except templating.TemplateInvalid as exc:
        return TemplatePreview(errors=list(exc.details.get("errors") or [exc.message]))
    application, event, history = sample.sample_case(agency, spec)
    draft = content.compose(spec, application, event, history=history, template=source, sample=True)
    return TemplatePreview(problems=draft.problems, html=render_html(draft.document))


def save_settings(agency: Agency, data: Mapping[str, Any], *, actor: Any) -> LetterSettings:
    """Save the agency's letter settings (发文代字, letterhead, signature, review body)."""
    _require_editor(actor, agency)
    with transaction.atomic():
        settings, _created = LetterSettings.objects.select_for_update().get_or_create(agency=agency)
        before = audit.snapshot(settings, list(SETTINGS_FIELDS))
        for name in SETTINGS_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if name == "letterhead":
                value = bool(value)
            else:
                value = (str(value or "")).strip()
                max_length = LetterSettings._meta.get_field(name).max_length
                if len(value) > max_length:
                    raise DomainError(
                        _("“%(label)s”不能超过%(n)d个字符。")
                        % {
                            "label": LetterSettings._meta.get_field(name).verbose_name,
                            "n": max_length,
                        },
                        field=name,
                    )
            setattr(settings, name, value)
        settings.save()
        audit.record(
            actor,
            "letters.settings_save",
            settings,
            agency=agency,
            before=before,
            after=audit.snapshot(settings, list(SETTINGS_FIELDS)),
        )
    return settings


def template_rows(agency: Agency) -> list[dict[str, Any]]:
    """Every kind with whether the agency uses its own template (for the list page)."""
    own = {
        t.kind: t for t in LetterTemplate.objects.filter(agency=agency).select_related("updated_by")
    }
    return [{"spec": spec, "own": own.get(code)} for code, spec in kinds.KINDS.items()]
