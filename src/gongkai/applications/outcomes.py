"""The 21 outcome codes (办理结果) of the national annual report's table 3.

Each final reply or closing carries exactly one code. The code fixes the legal basis cited in the
reply letter, the letter wording, and the report cell it is counted in (legal-rules §1.9, §3.4).
Nothing is counted by string matching: the report groups by ``Outcome`` value.

Labels are the leaf labels of table 3 in the 2021 format (国办公开办函〔2021〕30号), with the
group labels kept separately. In the 2019 format (reports on 2019 and 2020) the three 其他处理
leaves are one row: :func:`report_row` maps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    DISCLOSED = "disclosed"
    PARTIALLY_DISCLOSED = "partially_disclosed"
    WITHHELD_STATE_SECRET = "withheld_state_secret"
    WITHHELD_PROHIBITED_BY_LAW = "withheld_prohibited_by_law"
    WITHHELD_SECURITY_STABILITY = "withheld_security_stability"
    WITHHELD_THIRD_PARTY_RIGHTS = "withheld_third_party_rights"
    WITHHELD_INTERNAL_AFFAIRS = "withheld_internal_affairs"
    WITHHELD_PROCESS_INFORMATION = "withheld_process_information"
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file"
    WITHHELD_ADMINISTRATIVE_INQUIRY = "withheld_administrative_inquiry"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held"
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation"
    UNAVAILABLE_UNCLEAR_AFTER_CORRECTION = "unavailable_unclear_after_correction"
    NOT_PROCESSED_PETITION = "not_processed_petition"
    NOT_PROCESSED_REPEATED = "not_processed_repeated"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication"
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive"
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation"
    OTHER_CORRECTION_OVERDUE = "other_correction_overdue"
    OTHER_FEE_UNPAID = "other_fee_unpaid"
    OTHER = "other"


class OutcomeGroup(StrEnum):
    DISCLOSED = "disclosed"
    PARTIALLY_DISCLOSED = "partially_disclosed"
    WITHHELD = "withheld"
    UNAVAILABLE = "unavailable"
    NOT_PROCESSED = "not_processed"
    OTHER = "other"


GROUP_LABELS: dict[OutcomeGroup, str] = {
    OutcomeGroup.DISCLOSED: "（一）予以公开",
    OutcomeGroup.PARTIALLY_DISCLOSED: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    OutcomeGroup.WITHHELD: "（三）不予公开",
    OutcomeGroup.UNAVAILABLE: "（四）无法提供",
    OutcomeGroup.NOT_PROCESSED: "（五）不予处理",
    OutcomeGroup.OTHER: "（六）其他处理",
}

REGULATIONS = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》"


@dataclass(frozen=True)
class OutcomeInfo:
    code: Outcome
    group: OutcomeGroup
    label: str
    """The leaf label exactly as in table 3 (for 予以公开 / 部分公开, the group label)."""
    short_label: str
    """A short Chinese name for lists and menus."""
    legal_basis: str
    """The article(s) the decision rests on, as cited in the reply letter."""
    required: tuple[str, ...] = ()
    """Extra data an officer must give with this outcome (keys of the reply event's data)."""
    optional: tuple[str, ...] = ()
    officer_selectable: bool = True
    """False for outcomes the system records itself (expired correction or fee deadlines)."""

    @property
    def is_refusal(self) -> bool:
        """不予公开: the reply letter must say that administrative review comes first
        (行政复议法 2023 art. 23(一))."""
        return self.group is OutcomeGroup.WITHHELD

    @property
    def full_label(self) -> str:
        if self.group in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED):
            return self.label
        return f"{GROUP_LABELS[self.group]} {self.label}"


def _r(article: str) -> str:
    return f"{REGULATIONS}{article}"


OUTCOMES: dict[Outcome, OutcomeInfo] = {
    info.code: info
    for info in [
        OutcomeInfo(
            Outcome.DISCLOSED,
            OutcomeGroup.DISCLOSED,
            "（一）予以公开",
            "予以公开",
            _r("第三十六条第（一）项、第（二）项"),
            required=("how_to_obtain",),
        ),
        OutcomeInfo(
            Outcome.PARTIALLY_DISCLOSED,
            OutcomeGroup.PARTIALLY_DISCLOSED,
            GROUP_LABELS[OutcomeGroup.PARTIALLY_DISCLOSED],
            "部分公开",
            _r("第三十七条"),
            required=("how_to_obtain", "withheld_parts", "reason"),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_STATE_SECRET,
            OutcomeGroup.WITHHELD,
            "1.属于国家秘密",
            "不予公开（国家秘密）",
            _r("第十四条、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_PROHIBITED_BY_LAW,
            OutcomeGroup.WITHHELD,
            "2.其他法律行政法规禁止公开",
            "不予公开（法律行政法规禁止）",
            _r("第十四条、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_SECURITY_STABILITY,
            OutcomeGroup.WITHHELD,
            "3.危及“三安全一稳定”",
            "不予公开（三安全一稳定）",
            _r("第十四条、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_THIRD_PARTY_RIGHTS,
            OutcomeGroup.WITHHELD,
            "4.保护第三方合法权益",
            "不予公开（第三方合法权益）",
            _r("第十五条、第三十二条、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_INTERNAL_AFFAIRS,
            OutcomeGroup.WITHHELD,
            "5.属于三类内部事务信息",
            "不予公开（内部事务信息）",
            _r("第十六条第一款、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_PROCESS_INFORMATION,
            OutcomeGroup.WITHHELD,
            "6.属于四类过程性信息",
            "不予公开（过程性信息）",
            _r("第十六条第二款、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_ENFORCEMENT_FILE,
            OutcomeGroup.WITHHELD,
            "7.属于行政执法案卷",
            "不予公开（行政执法案卷）",
            _r("第十六条第二款、第三十六条第（三）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.WITHHELD_ADMINISTRATIVE_INQUIRY,
            OutcomeGroup.WITHHELD,
            "8.属于行政查询事项",
            "行政查询事项（依照有关法律法规办理）",
            _r("第三十六条第（七）项"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.UNAVAILABLE_NOT_HELD,
            OutcomeGroup.UNAVAILABLE,
            "1.本机关不掌握相关政府信息",
            "本机关不掌握",
            _r("第三十六条第（四）项、第（五）项"),
            optional=("competent_agency_name", "competent_agency_contact"),
        ),
        OutcomeInfo(
            Outcome.UNAVAILABLE_NEEDS_CREATION,
            OutcomeGroup.UNAVAILABLE,
            "2.没有现成信息需要另行制作",
            "需另行制作",
            _r("第三十八条"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION,
            OutcomeGroup.UNAVAILABLE,
            "3.补正后申请内容仍不明确",
            "补正后仍不明确",
            _r("第三十条"),
        ),
        OutcomeInfo(
            Outcome.NOT_PROCESSED_PETITION,
            OutcomeGroup.NOT_PROCESSED,
            "1.信访举报投诉类申请",
            "信访举报投诉类",
            _r("第三十九条第一款"),
        ),
        OutcomeInfo(
            Outcome.NOT_PROCESSED_REPEATED,
            OutcomeGroup.NOT_PROCESSED,
            "2.重复申请",
            "重复申请",
            _r("第三十六条第（六）项"),
            optional=("previous_reply",),
        ),
        OutcomeInfo(
            Outcome.NOT_PROCESSED_PUBLICATION,
            OutcomeGroup.NOT_PROCESSED,
            "3.要求提供公开出版物",
            "公开出版物",
            _r("第三十九条第二款"),
            required=("how_to_obtain",),
        ),
        OutcomeInfo(
            Outcome.NOT_PROCESSED_EXCESSIVE,
            OutcomeGroup.NOT_PROCESSED,
            "4.无正当理由大量反复申请",
            "无正当理由大量反复申请",
            _r("第三十五条"),
            required=("reason",),
        ),
        OutcomeInfo(
            Outcome.NOT_PROCESSED_CONFIRMATION,
            OutcomeGroup.NOT_PROCESSED,
            "5.要求行政机关确认或重新出具已获取信息",
            "要求确认或重新出具",
            "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",
        ),
        OutcomeInfo(
            Outcome.OTHER_CORRECTION_OVERDUE,
            OutcomeGroup.OTHER,
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "逾期不补正",
            _r("第三十条"),
            officer_selectable=False,
        ),
        OutcomeInfo(
            Outcome.OTHER_FEE_UNPAID,
            OutcomeGroup.OTHER,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "逾期未缴费",
            f"{FEE_MEASURES}（国办函〔2020〕109号）",
            officer_selectable=False,
        ),
        OutcomeInfo(
            Outcome.OTHER,
            OutcomeGroup.OTHER,
            "3.其他",
            "其他（含申请人撤回）",
            _r("第三十六条"),
            required=("reason",),
        ),
    ]
}

assert len(OUTCOMES) == 21


def info(code: Outcome | str) -> OutcomeInfo:
    """The description of one outcome code; ``ValueError`` for an unknown code."""
    return OUTCOMES[Outcome(code)]


def choices(*, officer_only: bool = False) -> list[tuple[str, str]]:
    """(value, label) pairs in report order, for forms."""
    return [
        (o.value, i.full_label)
        for o, i in OUTCOMES.items()
        if i.officer_selectable or not officer_only
    ]


#: Table-3 row ids for the 2019 format, where （六）其他处理 is a single row.
OTHER_PROCESSING_ROW_2019 = "other_processing"


def report_row(code: Outcome | str, year: int) -> str:
    """The stable table-3 row id in which an outcome is counted for a report year."""
    outcome = Outcome(code)
    if year < 2021 and OUTCOMES[outcome].group is OutcomeGroup.OTHER:
        return OTHER_PROCESSING_ROW_2019
    return outcome.value
