"""What a letter says: the values computed from the request (never typed), the officer's free-text
parts, the template, and the laid-out :class:`~gongkai.letters.document.LetterDocument`.

Content rules (legal-rules §4.1; DOMAIN §3): every reply states the applicant, the receipt date
(条例第三十一条), what was asked, the decision and the article it rests on (from
:mod:`gongkai.applications.outcomes`), the reason for refusals, the competent agency's name and
contact for information not held by this agency (第三十六条第（五）项), the way, place and time
to obtain disclosed information (第三十六条第（一）（二）项), and the remedy paragraph
(:mod:`gongkai.letters.remedy`). Dates are written ``2026年1月5日``.

:func:`compose` builds a :class:`Draft`. In preview mode a missing value becomes a visible
placeholder and a listed problem; in strict mode (issuing) any problem refuses the letter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications import outcomes
from gongkai.applications.fees import FEE_MEASURES, METHOD_LABELS, FeeMethod
from gongkai.applications.models import ApplicantType, Application, Channel, Event, EventType
from gongkai.core.dates import format_chinese_date, local_date
from gongkai.core.errors import DomainError
from gongkai.letters import kinds as kinds_mod
from gongkai.letters import remedy as remedy_mod
from gongkai.letters import templating
from gongkai.letters.document import LetterDocument
from gongkai.letters.kinds import KindSpec
from gongkai.letters.models import LetterSettings, LetterTemplate, Series

#: 发文代字 suffix of each series when the agency has not set its own (LetterSettings).
SERIES_SUFFIX: dict[str, str] = {
    Series.RECEIPT: "依申收",
    Series.NOTICE: "依申告",
    Series.CONSULTATION: "依申征",
    Series.REPLY: "依申复",
}
SERIES_SETTING: dict[str, str] = {
    Series.RECEIPT: "receipt_code",
    Series.NOTICE: "notice_code",
    Series.CONSULTATION: "consultation_code",
    Series.REPLY: "reply_code",
}

CHANNEL_PHRASES: dict[str, str] = {
    Channel.ONLINE: "通过互联网",
    Channel.IN_PERSON: "当面",
    Channel.REGISTERED_POST: "以邮寄方式",
    Channel.ORDINARY_POST: "以平常信函方式",
    Channel.FAX: "通过传真",
    Channel.EMAIL: "通过电子邮件",
}

PLACEHOLDER = "〖请填写：%(label)s〗"
_TRAILING = re.compile(r"[。；;，,.．\s]+$")


class LetterIncomplete(DomainError):
    """The letter cannot be issued yet; ``details["errors"]`` lists every problem."""

    code = "letter_incomplete"


class DocPrefixMissing(DomainError):
    code = "letter_doc_prefix_missing"


# --- templates and settings ---------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateSource:
    title: str
    body: str
    origin: str
    """``default`` or ``agency:<id>@<updated_at>``."""

    @property
    def is_default(self) -> bool:
        return self.origin == "default"

    def snapshot(self) -> str:
        return f"{self.title}\n---\n{self.body}"


@functools.cache
def _defaults() -> dict[str, dict[str, str]]:
    text = (
        resources.files("gongkai.letters")
        .joinpath("data/default_templates.toml")
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def default_template(spec: KindSpec) -> TemplateSource:
    entry = _defaults()[spec.code]
    return TemplateSource(entry["title"].strip(), entry["body"].strip() + "\n", "default")


def template_for(agency: Any, spec: KindSpec) -> TemplateSource:
    """The agency's own template of ``spec`` if it has one, else the shipped default."""
    if getattr(agency, "pk", None) is not None:
        own = LetterTemplate.objects.filter(agency=agency, kind=spec.code).first()
        if own is not None:
            return TemplateSource(
                own.title, own.body, f"agency:{agency.pk}@{own.updated_at.isoformat()}"
            )
    return default_template(spec)


def settings_for(agency: Any) -> LetterSettings:
    """The agency's letter settings (unsaved defaults when it has none)."""
    if getattr(agency, "pk", None) is not None:
        found = LetterSettings.objects.filter(agency=agency).first()
        if found is not None:
            return found
    return LetterSettings(agency=agency)


def series_code(agency: Any, series: str, settings: LetterSettings | None = None) -> str:
    """The 发文代字 of ``series`` for ``agency`` (e.g. 兴署依申复)."""
    settings = settings if settings is not None else settings_for(agency)
    own = (getattr(settings, SERIES_SETTING[series], "") or "").strip()
    if own:
        return own
    prefix = (agency.doc_prefix or "").strip()
    if not prefix:
        raise DocPrefixMissing(
            _(
                "%(agency)s尚未设置发文代字，无法给文书编号。请在“本机构信息”中填写发文代字，"
                "或在“文书设置”中填写各类文书的发文代字。"
            )
            % {"agency": agency.name}
        )
    return prefix + SERIES_SUFFIX[series]


# --- values -------------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _fmt(day: dt.date | None) -> str:
    return format_chinese_date(day) if day is not None else ""


def _before(a: Event, b: Event) -> bool:
    return kinds_mod._before(a, b)


def _last(history: Iterable[Event], event: Event, event_type: str) -> Event | None:
    found = None
    for other in history:
        if other.type == event_type and _before(other, event):
            found = other
    return found


def _after(history: Iterable[Event], start: Event, event_type: str, end: Event) -> Event | None:
    for other in history:
        if other.type == event_type and _before(start, other) and _before(other, end):
            return other
    return None


def letter_date(spec: KindSpec, application: Application, event: Event) -> dt.date:
    """The 成文日期: the legal date of the step (the receipt date for a receipt)."""
    if spec.code == "receipt" and application.received_on is not None:
        return max(event.on, application.received_on)
    return event.on


def _agency_values(agency: Any, settings: LetterSettings) -> dict[str, str]:
    parts = []
    if agency.address:
        parts.append(f"地址：{agency.address}")
    if agency.postcode:
        parts.append(f"邮政编码：{agency.postcode}")
    if agency.phone:
        parts.append(f"联系电话：{agency.phone}")
    if agency.email:
        parts.append(f"电子邮箱：{agency.email}")
    return {
        "agency.name": agency.name,
        "agency.office_name": agency.office_name or agency.name,
        "agency.address": agency.address,
        "agency.postcode": agency.postcode,
        "agency.phone": agency.phone,
        "agency.email": agency.email,
        "agency.office_hours": agency.office_hours,
        "agency.contact_line": "；".join(parts) or agency.name,
    }


def _applicant_you(application: Application) -> str:
    return "你" if application.applicant_type == ApplicantType.NATURAL_PERSON else "你单位"


def _application_values(application: Application) -> dict[str, str]:
    submitted = local_date(application.arrived_at) if application.arrived_at else None
    return {
        "applicant.name": application.applicant_name,
        "applicant.you": _applicant_you(application),
        "application.tracking_code": application.tracking_code,
        "application.received_on": _fmt(application.received_on),
        "application.submitted_on": _fmt(submitted),
        "application.description": application.description.strip(),
        "application.document_hint": application.document_hint,
        "application.channel": CHANNEL_PHRASES.get(application.channel, ""),
        "application.form_wanted": application.get_form_wanted_display()
        if application.form_wanted
        else "",
        "application.delivery": application.get_delivery_display() if application.delivery else "",
        "application.due_on": _fmt(application.due_on),
    }


def initial_inputs(
    spec: KindSpec, application: Application, event: Event, history: Iterable[Event]
) -> dict[str, str]:
    """Prefilled free-text parts, from the event's data and the request."""
    data = dict(event.data or {})
    history = list(history)
    agency = application.agency
    values: dict[str, str] = {}

    def put(name: str, *candidates: Any) -> None:
        if spec.field(name) is None:
            return
        for candidate in candidates:
            if candidate not in (None, ""):
                values[name] = str(candidate)
                return
        values[name] = ""

    put("correction.items", data.get("items"), data.get("reason"), data.get("note"))
    put("extension.reason", data.get("reason"), data.get("note"))
    put("consultation.content", data.get("content"), application.description)
    if spec.code == "third_party_disclosure_notice":
        third = [
            e
            for e in history
            if e.type == EventType.CONSULTATION_OPENED
            and (e.data or {}).get("party") == "third_party"
            and _before(e, event)
        ]
        consultation = third[-1] if third else None
        put("recipient.name", (consultation.data or {}).get("party_name") if consultation else "")
    else:
        put("recipient.name", data.get("party_name"))
    put("disclosure.content", data.get("disclosure_content"), application.description)
    put("disclosure.reason", data.get("disclosure_reason"), data.get("reason"))
    put("art35.observation", data.get("observation"), data.get("note"))
    put("art35.reason_deadline", data.get("reason_deadline"))
    put("art35.reason", data.get("reason"))
    put("fee.detail", data.get("detail"))
    put("fee.payment", data.get("payment"))
    put("obtain.how", data.get("how_to_obtain"))
    put("obtain.place", data.get("obtain_place"), agency.address)
    put("obtain.time", data.get("obtain_time"), agency.office_hours)
    put("withheld_parts", data.get("withheld_parts"))
    put("reason", data.get("reason"))
    put("competent_agency.name", data.get("competent_agency_name"))
    put("competent_agency.contact", data.get("competent_agency_contact"))
    put("previous_reply", data.get("previous_reply"))
    if spec.field("not_held.case") is not None:
        values["not_held.case"] = data.get("not_held_case") or (
            "other_agency" if data.get("competent_agency_name") else "absent"
        )
    return values


def clean_inputs(spec: KindSpec, raw: Mapping[str, Any] | None) -> tuple[dict[str, str], list[str]]:
    """Keep only the kind's editable parts, trimmed; problems for too long or bad choices."""
    cleaned: dict[str, str] = {}
    problems: list[str] = []
    for fld in spec.fields:
        if raw is None or fld.name not in raw:
            continue
        value = str(raw.get(fld.name) or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.strip() for line in value.split("\n")]
        if fld.inline:
            value = _TRAILING.sub("", "".join(line for line in lines if line))
        else:
            value = "\n".join(line for line in lines if line)
        if len(value) > fld.max_length:
            problems.append(
                _("“%(label)s”不能超过%(n)d个字。") % {"label": fld.label, "n": fld.max_length}
            )
            value = value[: fld.max_length]
        if fld.choices and value and value not in dict(fld.choices):
            problems.append(_("“%(label)s”的选项无效。") % {"label": fld.label})
            value = fld.choices[0][0]
        cleaned[fld.name] = value
    return cleaned, problems


def _fee_values(data: Mapping[str, Any], problems: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    amount = data.get("amount")
    try:
        value = Decimal(str(amount)) if amount not in (None, "") else None
    except (InvalidOperation, ValueError):
        value = None
    if value is None:
        problems.append(_("收费通知记录缺少收费金额。"))
        values["fee.amount"] = ""
    else:
        text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        values["fee.amount"] = f"{text}元"
    method = data.get("method")
    try:
        fee_method = FeeMethod(method) if method else None
    except ValueError:
        fee_method = None
    if fee_method is None:
        problems.append(_("收费通知记录缺少计费方式（按件计收或按量计收）。"))
        values["fee.method"] = ""
        values["fee.basis"] = FEE_MEASURES
    else:
        article = "第四条" if fee_method is FeeMethod.PER_APPLICATION else "第五条"
        values["fee.method"] = METHOD_LABELS[fee_method]
        values["fee.basis"] = f"{FEE_MEASURES}{article}"
    return values


def _extension_values(
    application: Application, event: Event, history: list[Event], problems: list[str], sample: bool
) -> dict[str, str]:
    data = event.data or {}
    values = {"extension.workdays": str(data.get("workdays") or "")}
    if not values["extension.workdays"]:
        problems.append(_("延期记录缺少延长的工作日数。"))
    if sample:
        values["extension.old_due_on"] = _fmt(event.on + dt.timedelta(days=7))
        values["extension.new_due_on"] = _fmt(event.on + dt.timedelta(days=35))
        return values
    from gongkai.applications import clock
    from gongkai.applications.models import CLOCK_EVENT_TYPES
    from gongkai.workdays.calendar import get_calendar

    if application.received_on is None:
        problems.append(_("该申请尚未确定收到申请之日。"))
        return values | {"extension.old_due_on": "", "extension.new_due_on": ""}
    before = [
        clock.ClockEvent(e.type, e.on, e.data or {})
        for e in history
        if e.type in CLOCK_EVENT_TYPES and _before(e, event)
    ]
    try:
        calendar = get_calendar(application.agency)
        old = clock.compute(application.received_on, before, calendar, today=event.on).due_on
        new = clock.compute(
            application.received_on,
            [*before, clock.ClockEvent(event.type, event.on, event.data or {})],
            calendar,
            today=event.on,
        ).due_on
    except DomainError as exc:
        problems.append(_("无法计算答复期限：%(error)s") % {"error": exc.message})
        return values | {"extension.old_due_on": "", "extension.new_due_on": ""}
    return values | {"extension.old_due_on": _fmt(old), "extension.new_due_on": _fmt(new)}


def _correction_values(
    spec: KindSpec, event: Event, history: list[Event], you: str
) -> dict[str, str]:
    requested = _last(history, event, EventType.CORRECTION_REQUESTED)
    if requested is None:
        return {"correction.requested_on": "", "correction.deadline": "", "correction.history": ""}
    deadline = _date((requested.data or {}).get("deadline"))
    sentence = _("本机关于%(on)s告知%(you)s补正申请") % {"on": _fmt(requested.on), "you": you}
    if deadline:
        sentence += _("，补正期限至%(deadline)s") % {"deadline": _fmt(deadline)}
    sentence += "。"
    if spec.outcome is outcomes.Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION:
        received = _after(history, requested, EventType.CORRECTION_RECEIVED, event)
        if received is not None:
            sentence += _("%(you)s于%(on)s提交了补正后的申请。") % {
                "you": you,
                "on": _fmt(received.on),
            }
    return {
        "correction.requested_on": _fmt(requested.on),
        "correction.deadline": _fmt(deadline),
        "correction.history": sentence,
    }


def _not_held_values(inputs: Mapping[str, str], you: str, problems: list[str]) -> dict[str, str]:
    case = inputs.get("not_held.case") or "absent"
    name = inputs.get("competent_agency.name", "")
    contact = inputs.get("competent_agency.contact", "")
    if case == "other_agency":
        finding = _("经核查，%(you)s所申请公开的政府信息不属于本机关负责公开") % {"you": you}
        if not name or not contact:
            problems.append(
                _(
                    "该信息不属于本机关负责公开时，须写明负责公开该信息的行政机关名称和联系方式"
                    "（条例第三十六条第（五）项）。"
                )
            )
    else:
        finding = _("经检索，本机关没有%(you)s所申请公开的政府信息") % {"you": you}
    sentence = ""
    if name:
        sentence = _("负责公开该政府信息的行政机关为%(name)s") % {"name": name}
        if contact:
            sentence += _("，联系方式：%(contact)s") % {"contact": contact}
        sentence += _("，请%(you)s向该机关提出申请。") % {"you": you}
    return {"not_held.finding": finding, "competent_agency.sentence": sentence}


def build_values(
    spec: KindSpec,
    application: Application,
    event: Event,
    history: list[Event],
    inputs: Mapping[str, str],
    settings: LetterSettings,
    *,
    on: dt.date,
    sample: bool = False,
) -> tuple[dict[str, str], list[str]]:
    """The flat template context (every variable of ``spec``) and the problems found."""
    agency = application.agency
    data = event.data or {}
    problems: list[str] = []
    values: dict[str, str] = {}
    values |= _agency_values(agency, settings)
    values |= _application_values(application)
    if spec.to_applicant:
        values["recipient.name"] = application.applicant_name
        values["recipient.you"] = _applicant_you(application)
    else:
        values["recipient.name"] = inputs.get("recipient.name", "")
        values["recipient.you"] = "贵单位" if spec.party == "agency" else "你（单位）"
    you = values["recipient.you"]
    values["letter.date"] = _fmt(on)
    values["event.date"] = _fmt(event.on)
    if spec.to_applicant and application.received_on is None:
        problems.append(_("该申请尚未确定收到申请之日（条例第三十一条）。"))

    if spec.code == "correction_notice":
        deadline = _date(data.get("deadline"))
        if deadline is None:
            problems.append(_("补正告知记录缺少补正期限。"))
        values["correction.deadline"] = _fmt(deadline)
    if spec.code == "extension_notice":
        values |= _extension_values(application, event, history, problems, sample)
    if spec.code.startswith("consultation_"):
        values["consultation.sent_on"] = _fmt(event.on)
    if spec.code == "art35_deadline_notice":
        due = _date(data.get("due_on"))
        if due is None:
            problems.append(_("延迟答复记录缺少答复期限。"))
        values["art35.due_on"] = _fmt(due)
    if spec.code == "fee_notice":
        values |= _fee_values(data, problems)
    if "correction.history" in spec.variables:
        values |= _correction_values(spec, event, history, you)
    if "fee.notice_on" in spec.variables:
        notice = _last(history, event, EventType.FEE_NOTICE_ISSUED)
        values["fee.notice_on"] = _fmt(notice.on) if notice else ""
    if spec.outcome is not None:
        info = outcomes.OUTCOMES[spec.outcome]
        values["decision.conclusion"] = kinds_mod.CONCLUSIONS[spec.outcome]
        values["decision.basis"] = info.legal_basis
        values["decision.label"] = info.full_label
        if spec.outcome is outcomes.Outcome.UNAVAILABLE_NOT_HELD:
            values |= _not_held_values(inputs, you, problems)
    if spec.remedy:
        try:
            remedy = remedy_mod.compute(
                agency,
                settings,
                decided_on=on,
                review_first=remedy_mod.review_first_for(spec.outcome),
                you=you,
                act=spec.act,
                document=spec.document,
            )
            values["remedy"] = remedy.text
        except DomainError as exc:
            problems.append(exc.message)
            values["remedy"] = PLACEHOLDER % {"label": _("救济途径")}

    for fld in spec.fields:
        value = inputs.get(fld.name, "")
        if fld.name == "not_held.case":
            continue
        if not value and fld.required:
            problems.append(_("请填写“%(label)s”。") % {"label": fld.label})
            value = PLACEHOLDER % {"label": fld.label}
        values[fld.name] = value
    if not spec.to_applicant and not values.get("recipient.name"):
        values["recipient.name"] = PLACEHOLDER % {"label": _("主送")}
    return {k: v for k, v in values.items() if k in spec.variables}, problems


# --- composing ----------------------------------------------------------------------------------


@dataclass
class Draft:
    spec: KindSpec
    application: Application
    event: Event
    inputs: dict[str, str]
    values: dict[str, str]
    template: TemplateSource
    document: LetterDocument
    letter_date: dt.date
    recipient: str
    series_code: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def preview_number(code: str, year: int) -> str:
    return f"{code}〔{year}〕　号" if code else ""


def compose(
    spec: KindSpec,
    application: Application,
    event: Event,
    *,
    inputs: Mapping[str, Any] | None = None,
    history: Iterable[Event] | None = None,
    template: TemplateSource | None = None,
    settings: LetterSettings | None = None,
    replaces: Any = None,
    strict: bool = False,
    sample: bool = False,
) -> Draft:
    """Build the letter ``spec`` for ``event`` of ``application``.

    Raises :class:`~gongkai.letters.kinds.StepMissing` when the step did not happen and
    :class:`~gongkai.letters.templating.TemplateInvalid` for a bad template; with
    ``strict=True`` also :class:`LetterIncomplete` listing every missing value.
    """
    history = list(history) if history is not None else list(application.events.all())
    kinds_mod.check_event(spec, application, event, history)
    agency = application.agency
    settings = settings if settings is not None else settings_for(agency)
    template = template if template is not None else template_for(agency, spec)
    templating.validate(spec, template.title, template.body)

    merged, _ignored = clean_inputs(spec, initial_inputs(spec, application, event, history))
    cleaned, problems = clean_inputs(spec, inputs)
    merged.update(cleaned)
    on = letter_date(spec, application, event)
    values, value_problems = build_values(
        spec, application, event, history, merged, settings, on=on, sample=sample
    )
    problems += value_problems
    try:
        code = series_code(agency, spec.series, settings)
    except DomainError as exc:
        problems.append(exc.message)
        code = ""

    title = " ".join(templating.paragraphs(templating.render(template.title, values)))
    lines = templating.paragraphs(templating.render(template.body, values))
    salutation, body = (lines[0], lines[1:]) if lines else ("", [])
    if replaces is not None:
        body.append(
            _("本%(doc)s更正本机关%(date)s出具的%(number)s《%(title)s》，以本%(doc)s为准。")
            % {
                "doc": spec.document,
                "date": format_chinese_date(replaces.letter_date),
                "number": replaces.number,
                "title": replaces.title,
            }
        )
    letterhead = ""
    if settings.letterhead:
        letterhead = (settings.letterhead_name or "").strip() or agency.name
        title_lines: tuple[str, ...] = (title,)
    else:
        title_lines = (agency.name, title)
    note = ""
    if agency.phone:
        note = _("（联系单位：%(office)s；联系电话：%(phone)s）") % {
            "office": agency.office_name or agency.name,
            "phone": agency.phone,
        }
    document = LetterDocument(
        title=title_lines,
        number=preview_number(code, on.year),
        salutation=salutation,
        paragraphs=tuple(body),
        signature=(settings.signature_name or "").strip() or agency.name,
        date=format_chinese_date(on),
        note=note,
        letterhead=letterhead,
        author=agency.name,
        subject=spec.label,
    )
    draft = Draft(
        spec=spec,
        application=application,
        event=event,
        inputs=merged,
        values=values,
        template=template,
        document=document,
        letter_date=on,
        recipient=values.get("recipient.name", ""),
        series_code=code,
        problems=problems,
    )
    if strict and problems:
        raise LetterIncomplete(
            _("文书不能出具：%(problems)s") % {"problems": "".join(problems)},
            details={"errors": problems},
        )
    return draft
