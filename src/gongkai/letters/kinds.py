"""The letter kinds (文书种类): what each one is for, which request step it belongs to, which
variables its template may use and must contain, and which parts the officer may edit.

Kinds (legal-rules §4.1, DOMAIN §3):

- 接收回执 (条例第三十一条、第三十三条) — the receipt, once the receipt date is fixed;
- 补正告知书 (第三十条) — belongs to a ``correction_requested`` event;
- 延期答复告知书 (第三十三条第二款) — ``extension_granted``;
- 征求意见书 to a third party (第三十二条) and to a co-producing agency (第三十四条) —
  ``consultation_opened`` with ``party`` third_party / agency;
- 第三方告知书: disclosure over a third party's objection (第三十二条末句) — a ``reply_issued``
  event that discloses (予以公开 / 部分公开) after a third-party consultation;
- 说明理由告知书 and 延迟答复告知书 (第三十五条) — a note event marked
  ``{"step": "art35_reasons_requested"}`` (there is no dedicated event type yet), and
  ``art35_deadline``;
- 收费通知书 (条例第四十二条, 国办函〔2020〕109号) — ``fee_notice_issued``;
- one 答复书 per outcome code (21, :mod:`gongkai.applications.outcomes`) — a ``reply_issued`` event
  with that outcome; the two outcomes the system records itself (逾期不补正, 逾期未缴费) belong
  to a ``closed`` event, and 其他 also to a ``withdrawn`` event.

A letter for a step that did not happen is refused (:func:`check_event`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications import outcomes
from gongkai.applications.models import EventType
from gongkai.applications.outcomes import Outcome, OutcomeGroup
from gongkai.core.errors import DomainError
from gongkai.letters.models import Series

REGULATIONS = outcomes.REGULATIONS

#: Note events carrying this ``step`` record that the applicant was asked for reasons (第三十五条).
ART35_REASONS_STEP = "art35_reasons_requested"


class StepMissing(DomainError):
    """The letter belongs to a request step that did not happen."""

    code = "letter_step_missing"
    status = 409


class UnknownKind(DomainError):
    code = "letter_kind_unknown"
    status = 404


@dataclass(frozen=True)
class Field:
    """A free-text part of a letter the officer may edit before issuing."""

    name: str
    label: str
    required: bool = False
    multiline: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 3000
    help: str = ""
    inline: bool = False
    """Used inside a sentence: trailing punctuation (。；，) is dropped and lines are joined."""


# --- the variables a template may use ----------------------------------------------------------

COMMON_VARIABLES: dict[str, str] = {
    "recipient.name": "主送（收件人姓名或名称）",
    "recipient.you": "对收件人的称谓（你／你单位／贵单位）",
    "agency.name": "本机关全称",
    "agency.office_name": "政府信息公开工作机构",
    "agency.address": "办公地址",
    "agency.postcode": "邮政编码",
    "agency.phone": "联系电话",
    "agency.email": "电子邮箱",
    "agency.office_hours": "办公时间",
    "agency.contact_line": "联系方式（地址、邮编、电话，自动组合）",
    "letter.date": "成文日期",
    "event.date": "本办理步骤的日期",
}

APPLICATION_VARIABLES: dict[str, str] = {
    "applicant.name": "申请人姓名或名称",
    "applicant.you": "对申请人的称谓（你／你单位）",
    "application.tracking_code": "查询码",
    "application.received_on": "收到申请之日（条例第三十一条）",
    "application.submitted_on": "申请提交日期",
    "application.description": "申请获取的政府信息（申请内容）",
    "application.document_hint": "信息名称、文号等特征",
    "application.channel": "提出申请的方式（如“通过互联网”）",
    "application.form_wanted": "获取信息的形式",
    "application.delivery": "获取信息的方式",
    "application.due_on": "当前答复期限（可能为空）",
}

KIND_VARIABLES: dict[str, str] = {
    "correction.items": "需要补正的事项",
    "correction.deadline": "补正期限",
    "correction.requested_on": "发出补正告知的日期",
    "correction.history": "补正经过（自动生成的句子）",
    "extension.reason": "延期理由",
    "extension.workdays": "延长的工作日数",
    "extension.old_due_on": "原答复期限",
    "extension.new_due_on": "延长后的答复期限",
    "consultation.content": "征求意见涉及的政府信息",
    "consultation.sent_on": "发出征求意见书的日期",
    "disclosure.content": "决定公开的政府信息内容",
    "disclosure.reason": "决定公开的理由",
    "art35.observation": "申请数量、频次明显超过合理范围的情况",
    "art35.reason_deadline": "说明理由的期限",
    "art35.reason": "无法按期答复的原因",
    "art35.due_on": "延迟答复的期限",
    "fee.amount": "收费金额",
    "fee.method": "计费方式（按件计收／按量计收）",
    "fee.basis": "收费依据",
    "fee.detail": "计费明细",
    "fee.payment": "缴费方式",
    "fee.notice_on": "发出收费通知的日期",
    "decision.conclusion": "处理决定（如“决定予以公开”）",
    "decision.basis": "处理决定所依据的条款",
    "decision.label": "办理结果（年度报告分类）",
    "reason": "理由或补充说明",
    "withheld_parts": "不予公开的部分",
    "obtain.how": "获取信息的方式",
    "obtain.place": "获取信息的地点",
    "obtain.time": "获取信息的时间",
    "competent_agency.name": "负责公开该信息的机关名称",
    "competent_agency.contact": "负责公开该信息的机关联系方式",
    "competent_agency.sentence": "告知负责公开机关的句子（自动生成，不掌握时为空）",
    "not_held.finding": "检索或核查结论（自动生成）",
    "previous_reply": "此前答复的情况",
    "remedy": "救济途径段落（自动生成：复议机关、60日、6个月，不予公开时先行复议）",
}

ALL_VARIABLES: dict[str, str] = {**COMMON_VARIABLES, **APPLICATION_VARIABLES, **KIND_VARIABLES}


@dataclass(frozen=True)
class KindSpec:
    code: str
    label: str
    """Short Chinese name for menus."""
    title: str
    """Default title of the letter."""
    series: Series
    event_types: frozenset[str]
    legal_basis: str
    variables: frozenset[str]
    """Every variable the template may use."""
    required: tuple[str, ...]
    """Variables the body must contain, outside any ``if``/``for`` (required elements)."""
    fields: tuple[Field, ...] = ()
    to_applicant: bool = True
    outcome: Outcome | None = None
    party: str | None = None
    needs_prior: tuple[str, ...] = ()
    """Event types that must precede the letter's event (e.g. a 补正告知 before 逾期不补正)."""
    remedy: bool = False
    act: str = "答复"
    """What the remedy paragraph calls the decision (答复 / 决定)."""
    document: str = "答复书"
    """What the letter calls itself (答复书 / 告知书 …)."""
    once_per_application: bool = False
    extra_check: Any = field(default=None, compare=False, repr=False)

    @property
    def editable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def event_labels(self) -> str:
        labels = dict(EventType.choices)
        return "、".join(f"“{labels.get(t, t)}”" for t in sorted(self.event_types))

    def matches(self, application: Any, event: Any, history: Iterable[Any] = ()) -> bool:
        try:
            check_event(self, application, event, history)
        except DomainError:
            return False
        return True


def _vars(*groups: Mapping[str, str], extra: Iterable[str] = ()) -> frozenset[str]:
    names: set[str] = set()
    for group in groups:
        names.update(group)
    names.update(extra)
    unknown = names - set(ALL_VARIABLES)
    assert not unknown, unknown
    return frozenset(names)


_APPLICANT_LETTER = (COMMON_VARIABLES, APPLICATION_VARIABLES)
_RECIPIENT = Field(
    "recipient.name", "主送（收件人名称）", required=True, max_length=200, inline=True
)


# --- procedural letters -----------------------------------------------------------------------


def _receipt_check(application: Any, event: Any, history: Iterable[Any]) -> None:
    if application.received_on is None:
        raise StepMissing(
            _("该申请尚未确定收到申请之日（条例第三十一条），不能出具接收回执；请先确认收到申请。")
        )
    if event.type == EventType.SUBMITTED and any(
        e.type == EventType.RECEIPT_CONFIRMED for e in history
    ):
        raise StepMissing(_("该申请的收到之日由“确认收到申请”确定，请对该办理记录出具接收回执。"))


def _reasons_check(application: Any, event: Any, history: Iterable[Any]) -> None:
    if event.type == EventType.NOTE and (event.data or {}).get("step") != ART35_REASONS_STEP:
        raise StepMissing(
            _("说明理由告知书须对应“要求申请人说明理由”的办理记录（条例第三十五条）。")
        )


def _third_party_disclosure_check(application: Any, event: Any, history: Iterable[Any]) -> None:
    outcome = (event.data or {}).get("outcome")
    if outcome not in (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED):
        raise StepMissing(
            _("第三方告知书只用于决定公开（予以公开或部分公开）的答复（条例第三十二条）。")
        )
    consulted = any(
        e.type == EventType.CONSULTATION_OPENED
        and (e.data or {}).get("party") == "third_party"
        and _before(e, event)
        for e in history
    )
    if not consulted:
        raise StepMissing(
            _("该申请没有征求第三方意见的记录，不能出具第三方告知书（条例第三十二条）。")
        )


PROCEDURAL: list[KindSpec] = [
    KindSpec(
        code="receipt",
        label="接收回执",
        title="政府信息公开申请接收回执",
        series=Series.RECEIPT,
        event_types=frozenset({EventType.SUBMITTED, EventType.RECEIPT_CONFIRMED}),
        legal_basis=f"{REGULATIONS}第三十一条、第三十三条",
        variables=_vars(*_APPLICANT_LETTER),
        required=(
            "recipient.name",
            "application.received_on",
            "application.description",
            "application.tracking_code",
        ),
        document="回执",
        once_per_application=True,
        extra_check=_receipt_check,
    ),
    KindSpec(
        code="correction_notice",
        label="补正告知书",
        title="政府信息公开申请补正告知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.CORRECTION_REQUESTED}),
        legal_basis=f"{REGULATIONS}第三十条",
        variables=_vars(*_APPLICANT_LETTER, extra=("correction.items", "correction.deadline")),
        required=(
            "recipient.name",
            "application.received_on",
            "application.description",
            "correction.items",
            "correction.deadline",
        ),
        fields=(
            Field(
                "correction.items",
                "需要补正的事项（一次性列明）",
                required=True,
                multiline=True,
                help="每行一项，将逐段列入告知书。",
            ),
        ),
        document="告知书",
    ),
    KindSpec(
        code="extension_notice",
        label="延期答复告知书",
        title="政府信息公开申请延期答复告知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.EXTENSION_GRANTED}),
        legal_basis=f"{REGULATIONS}第三十三条第二款",
        variables=_vars(
            *_APPLICANT_LETTER,
            extra=(
                "extension.reason",
                "extension.workdays",
                "extension.old_due_on",
                "extension.new_due_on",
            ),
        ),
        required=(
            "recipient.name",
            "application.received_on",
            "extension.reason",
            "extension.workdays",
            "extension.new_due_on",
        ),
        fields=(Field("extension.reason", "延期理由", required=True, multiline=True, inline=True),),
        document="告知书",
    ),
    KindSpec(
        code="consultation_third_party",
        label="征求意见书（第三方）",
        title="政府信息公开征求意见书",
        series=Series.CONSULTATION,
        event_types=frozenset({EventType.CONSULTATION_OPENED}),
        legal_basis=f"{REGULATIONS}第三十二条",
        variables=_vars(COMMON_VARIABLES, extra=("consultation.content", "consultation.sent_on")),
        required=("recipient.name", "consultation.content"),
        fields=(
            _RECIPIENT,
            Field(
                "consultation.content",
                "征求意见涉及的政府信息",
                required=True,
                multiline=True,
                help="只写明涉及的信息，不写申请人的身份。",
            ),
        ),
        to_applicant=False,
        party="third_party",
        document="征求意见书",
    ),
    KindSpec(
        code="consultation_agency",
        label="征求意见书（共同制作机关）",
        title="政府信息公开征求意见书",
        series=Series.CONSULTATION,
        event_types=frozenset({EventType.CONSULTATION_OPENED}),
        legal_basis=f"{REGULATIONS}第三十四条",
        variables=_vars(COMMON_VARIABLES, extra=("consultation.content", "consultation.sent_on")),
        required=("recipient.name", "consultation.content"),
        fields=(
            _RECIPIENT,
            Field("consultation.content", "共同制作的政府信息", required=True, multiline=True),
        ),
        to_applicant=False,
        party="agency",
        document="征求意见书",
    ),
    KindSpec(
        code="third_party_disclosure_notice",
        label="第三方告知书（决定公开）",
        title="政府信息公开决定告知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.REPLY_ISSUED}),
        legal_basis=f"{REGULATIONS}第三十二条",
        variables=_vars(
            COMMON_VARIABLES, extra=("disclosure.content", "disclosure.reason", "remedy")
        ),
        required=("recipient.name", "disclosure.content", "disclosure.reason", "remedy"),
        fields=(
            _RECIPIENT,
            Field("disclosure.content", "决定公开的政府信息内容", required=True, multiline=True),
            Field(
                "disclosure.reason",
                "决定公开的理由（不公开可能对公共利益造成重大影响）",
                required=True,
                multiline=True,
            ),
        ),
        to_applicant=False,
        remedy=True,
        act="决定",
        document="告知书",
        extra_check=_third_party_disclosure_check,
    ),
    KindSpec(
        code="art35_reasons_notice",
        label="说明理由告知书",
        title="政府信息公开申请说明理由告知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.NOTE, ART35_REASONS_STEP}),
        legal_basis=f"{REGULATIONS}第三十五条",
        variables=_vars(*_APPLICANT_LETTER, extra=("art35.observation", "art35.reason_deadline")),
        required=(
            "recipient.name",
            "application.received_on",
            "art35.observation",
            "art35.reason_deadline",
        ),
        fields=(
            Field(
                "art35.observation",
                "申请数量、频次明显超过合理范围的情况",
                required=True,
                multiline=True,
                inline=True,
            ),
            Field(
                "art35.reason_deadline",
                "说明理由的期限（如“2026年3月20日”）",
                required=True,
                inline=True,
            ),
        ),
        document="告知书",
        extra_check=_reasons_check,
    ),
    KindSpec(
        code="art35_deadline_notice",
        label="延迟答复告知书",
        title="政府信息公开申请延迟答复告知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.ART35_DEADLINE}),
        legal_basis=f"{REGULATIONS}第三十五条",
        variables=_vars(*_APPLICANT_LETTER, extra=("art35.reason", "art35.due_on")),
        required=("recipient.name", "application.received_on", "art35.reason", "art35.due_on"),
        fields=(
            Field("art35.reason", "无法按期答复的原因", required=True, multiline=True, inline=True),
        ),
        document="告知书",
    ),
    KindSpec(
        code="fee_notice",
        label="收费通知书",
        title="政府信息公开申请收费通知书",
        series=Series.NOTICE,
        event_types=frozenset({EventType.FEE_NOTICE_ISSUED}),
        legal_basis=f"{REGULATIONS}第四十二条；《政府信息公开信息处理费管理办法》",
        variables=_vars(
            *_APPLICANT_LETTER,
            extra=("fee.amount", "fee.method", "fee.basis", "fee.detail", "fee.payment"),
        ),
        required=(
            "recipient.name",
            "application.received_on",
            "fee.amount",
            "fee.method",
            "fee.basis",
            "fee.payment",
        ),
        fields=(
            Field("fee.detail", "计费明细（可选）", multiline=True),
            Field(
                "fee.payment",
                "缴费方式（收款账户或缴费地点）",
                required=True,
                inline=True,
            ),
        ),
        document="通知书",
    ),
]


# --- reply letters (one per outcome code) -----------------------------------------------------

#: What the agency decides, as written after "本机关" (GB/T-style plain wording).
CONCLUSIONS: dict[Outcome, str] = {
    Outcome.DISCLOSED: "决定予以公开",
    Outcome.PARTIALLY_DISCLOSED: "决定部分公开",
    Outcome.WITHHELD_STATE_SECRET: "决定不予公开",
    Outcome.WITHHELD_PROHIBITED_BY_LAW: "决定不予公开",
    Outcome.WITHHELD_SECURITY_STABILITY: "决定不予公开",
    Outcome.WITHHELD_THIRD_PARTY_RIGHTS: "决定不予公开",
    Outcome.WITHHELD_INTERNAL_AFFAIRS: "决定不予公开",
    Outcome.WITHHELD_PROCESS_INFORMATION: "决定不予公开",
    Outcome.WITHHELD_ENFORCEMENT_FILE: "决定不予公开",
    Outcome.WITHHELD_ADMINISTRATIVE_INQUIRY: "不予公开，并告知依照有关法律、行政法规的规定办理",
    Outcome.UNAVAILABLE_NOT_HELD: "无法提供该政府信息",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "不予提供该信息",
    Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION: "无法提供所申请的政府信息",
    Outcome.NOT_PROCESSED_PETITION: "不作为政府信息公开申请处理",
    Outcome.NOT_PROCESSED_REPEATED: "不予重复处理",
    Outcome.NOT_PROCESSED_PUBLICATION: "告知获取该公开出版物的途径",
    Outcome.NOT_PROCESSED_EXCESSIVE: "不予处理",
    Outcome.NOT_PROCESSED_CONFIRMATION: "不予处理",
    Outcome.OTHER_CORRECTION_OVERDUE: "不再处理该政府信息公开申请",
    Outcome.OTHER_FEE_UNPAID: "不再处理该政府信息公开申请",
    Outcome.OTHER: "终止处理该政府信息公开申请",
}
assert set(CONCLUSIONS) == set(Outcome)

NOT_HELD_CASES: tuple[tuple[str, str], ...] = (
    ("absent", "经检索没有该政府信息（条例第三十六条第（四）项）"),
    ("other_agency", "不属于本机关负责公开（条例第三十六条第（五）项）"),
)

#: Outcome data keys (outcomes.OutcomeInfo.required/optional) → letter variables.
_DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "how_to_obtain": ("obtain.how",),
    "withheld_parts": ("withheld_parts",),
    "reason": ("reason",),
    "competent_agency_name": ("competent_agency.name",),
    "competent_agency_contact": ("competent_agency.contact",),
    "previous_reply": ("previous_reply",),
}

_REPLY_BASE_REQUIRED = (
    "recipient.name",
    "application.received_on",
    "application.description",
    "decision.conclusion",
    "decision.basis",
    "remedy",
)

_REASON_LABELS: dict[OutcomeGroup, str] = {
    OutcomeGroup.WITHHELD: "不予公开的理由",
    OutcomeGroup.PARTIALLY_DISCLOSED: "不予公开部分的理由",
    OutcomeGroup.UNAVAILABLE: "具体情况说明",
    OutcomeGroup.NOT_PROCESSED: "理由",
    OutcomeGroup.OTHER: "处理情况说明（如申请人撤回申请的日期和方式）",
}


def _reply_fields(code: Outcome) -> tuple[tuple[Field, ...], tuple[str, ...], set[str]]:
    info = outcomes.OUTCOMES[code]
    fields: list[Field] = []
    required: list[str] = []
    variables: set[str] = {"decision.conclusion", "decision.basis", "decision.label", "remedy"}
    needs = set(info.required)
    if "how_to_obtain" in needs:
        label = (
            "获取该出版物的途径"
            if code is Outcome.NOT_PROCESSED_PUBLICATION
            else "获取信息的方式（如邮寄、电子邮件、当场查阅）"
        )
        fields.append(Field("obtain.how", label, required=True, multiline=True))
        required.append("obtain.how")
        variables.add("obtain.how")
        if code in (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED):
            fields.append(Field("obtain.place", "获取信息的地点", required=True))
            fields.append(Field("obtain.time", "获取信息的时间", required=True))
            required += ["obtain.place", "obtain.time"]
            variables |= {"obtain.place", "obtain.time"}
    if "withheld_parts" in needs:
        fields.append(
            Field("withheld_parts", "不予公开的部分", required=True, multiline=True, inline=True)
        )
        required.append("withheld_parts")
        variables.add("withheld_parts")
    reason_required = "reason" in needs
    fields.append(
        Field(
            "reason",
            _REASON_LABELS.get(info.group, "理由") if reason_required else "补充说明（可选）",
            required=reason_required,
            multiline=True,
        )
    )
    variables.add("reason")
    if reason_required:
        required.append("reason")
    if code is Outcome.UNAVAILABLE_NOT_HELD:
        fields.insert(0, Field("not_held.case", "情形", required=True, choices=NOT_HELD_CASES))
        fields.append(Field("competent_agency.name", "负责公开该信息的机关名称", inline=True))
        fields.append(Field("competent_agency.contact", "该机关的联系方式", inline=True))
        variables |= {
            "competent_agency.name",
            "competent_agency.contact",
            "competent_agency.sentence",
            "not_held.finding",
        }
        required += ["not_held.finding", "competent_agency.sentence"]
    if code is Outcome.NOT_PROCESSED_REPEATED:
        fields.append(
            Field("previous_reply", "此前答复的情况（如答复日期和文号，可选）", inline=True)
        )
        variables.add("previous_reply")
    if code in (Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION, Outcome.OTHER_CORRECTION_OVERDUE):
        variables |= {"correction.requested_on", "correction.deadline", "correction.history"}
        required.append("correction.history")
    if code is Outcome.OTHER_FEE_UNPAID:
        variables.add("fee.notice_on")
        required.append("fee.notice_on")
    return tuple(fields), tuple(required), variables


def _reply_kind(code: Outcome) -> KindSpec:
    info = outcomes.OUTCOMES[code]
    fields, required, variables = _reply_fields(code)
    if code in (Outcome.OTHER_CORRECTION_OVERDUE, Outcome.OTHER_FEE_UNPAID):
        event_types = frozenset({EventType.REPLY_ISSUED, EventType.CLOSED})
    elif code is Outcome.OTHER:
        event_types = frozenset({EventType.REPLY_ISSUED, EventType.WITHDRAWN})
    else:
        event_types = frozenset({EventType.REPLY_ISSUED})
    needs_prior: tuple[str, ...] = ()
    if code is Outcome.OTHER_CORRECTION_OVERDUE:
        needs_prior = (EventType.CORRECTION_REQUESTED,)
    elif code is Outcome.OTHER_FEE_UNPAID:
        needs_prior = (EventType.FEE_NOTICE_ISSUED,)
    return KindSpec(
        code=f"reply_{code.value}",
        label=f"答复书：{info.short_label}",
        title="政府信息公开申请答复书",
        series=Series.REPLY,
        event_types=event_types,
        legal_basis=info.legal_basis,
        variables=_vars(*_APPLICANT_LETTER, extra=variables),
        required=_REPLY_BASE_REQUIRED + required,
        fields=fields,
        outcome=code,
        needs_prior=needs_prior,
        remedy=True,
    )


REPLIES: list[KindSpec] = [_reply_kind(code) for code in outcomes.OUTCOMES]

KINDS: dict[str, KindSpec] = {spec.code: spec for spec in PROCEDURAL + REPLIES}
assert len(REPLIES) == 21 and len(KINDS) == 30


def get(code: str) -> KindSpec:
    """The kind ``code``; :class:`UnknownKind` (404) otherwise."""
    try:
        return KINDS[code]
    except KeyError:
        raise UnknownKind(_("没有这种文书：“%(code)s”。") % {"code": code}) from None


def reply_kind(outcome: Outcome | str) -> KindSpec:
    return KINDS[f"reply_{Outcome(outcome).value}"]


def _before(a: Any, b: Any) -> bool:
    """Whether event ``a`` precedes event ``b`` in the log (date, then insertion order)."""
    if a.pk is not None and b.pk is not None:
        return (a.on, a.pk) < (b.on, b.pk)
    return a.on <= b.on and a is not b


def _event_outcome(event: Any) -> str | None:
    if event.type == EventType.WITHDRAWN:
        return Outcome.OTHER.value
    return (event.data or {}).get("outcome")


def check_event(spec: KindSpec, application: Any, event: Any, history: Iterable[Any] = ()) -> None:
    """Refuse (:class:`StepMissing`) a letter whose request step did not happen.

    ``event`` must belong to ``application``, be of one of the kind's event types, and carry the
    kind's outcome or consultation party; some kinds also need earlier steps (``history``: the
    application's events).
    """
    history = list(history)
    if event is None or (
        getattr(event, "application_id", None) is not None
        and application.pk is not None
        and event.application_id != application.pk
    ):
        raise StepMissing(_("所选办理记录不属于该申请。"))
    if event.type not in spec.event_types:
        labels = dict(EventType.choices)
        raise StepMissing(
            _("“%(kind)s”须对应%(wanted)s办理记录；所选办理记录是“%(actual)s”，不能出具。")
            % {
                "kind": spec.label,
                "wanted": spec.event_labels(),
                "actual": labels.get(event.type, event.type),
            }
        )
    if spec.outcome is not None:
        actual = _event_outcome(event)
        if actual != spec.outcome.value:
            try:
                actual_label = outcomes.info(actual).short_label if actual else _("无")
            except (ValueError, KeyError):
                actual_label = str(actual)
            raise StepMissing(
                _("该答复记录的办理结果是“%(actual)s”，不能出具“%(kind)s”。")
                % {"actual": actual_label, "kind": spec.label}
            )
    if spec.party is not None and (event.data or {}).get("party") != spec.party:
        raise StepMissing(_("该征求意见记录的对象与“%(kind)s”不符。") % {"kind": spec.label})
    for prior in spec.needs_prior:
        if not any(e.type == prior and _before(e, event) for e in history):
            labels = dict(EventType.choices)
            raise StepMissing(
                _("“%(kind)s”须以“%(step)s”为前提，该申请没有这一步骤。")
                % {"kind": spec.label, "step": labels.get(prior, prior)}
            )
    if spec.extra_check is not None:
        spec.extra_check(application, event, history)


def kinds_for_event(application: Any, event: Any, history: Iterable[Any] = ()) -> list[KindSpec]:
    """The kinds that may be issued for ``event`` (in registry order)."""
    history = list(history)
    return [spec for spec in KINDS.values() if spec.matches(application, event, history)]
