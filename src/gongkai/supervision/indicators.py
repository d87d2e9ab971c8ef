"""Managing assessment indicators (考核指标) and manual scores; each change is audit-logged.

:data:`DEFAULT_INDICATORS` is a starting set (100 points) a supervisor can load for a year and
then adjust: the weights are our suggestion, not a national standard (DOMAIN §5 only fixes that
disclosure weighs at least 4% in the overall assessment).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import has_role
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site import audit
from gongkai.supervision.models import Indicator, IndicatorRule, ManualScore

#: (name, weight, rule, points per item)
DEFAULT_INDICATORS: list[tuple[str, str, str, str]] = [
    ("依申请公开按时答复", "25", IndicatorRule.REQUESTS_ON_TIME, "1"),
    ("逾期未答复的申请", "10", IndicatorRule.REQUESTS_OVERDUE, "2"),
    ("网站栏目更新", "15", IndicatorRule.STALE_COLUMNS, "1"),
    ("政策解读", "10", IndicatorRule.INTERPRETATIONS, "1"),
    ("主动公开及时性", "10", IndicatorRule.PUBLICATION_TIMELINESS, "0.5"),
    ("年度报告按时发布", "10", IndicatorRule.ANNUAL_REPORT, "1"),
    ("督办任务落实", "10", IndicatorRule.TASKS, "2"),
    ("投诉举报", "5", IndicatorRule.COMPLAINTS, "1"),
    ("工作机制和队伍建设", "5", IndicatorRule.MANUAL, "1"),
]

FIELDS = ["name", "weight", "rule", "per_item", "description", "order"]


def _require(actor: Any, agency: Agency) -> None:
    if not has_role(actor, agency, {Role.SUPERVISOR}):
        raise PermissionDeniedError(_("只有考核机关的主管可以设置考核指标和评分。"))


def decimal(text: Any, field: str, label: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("%(label)s应为数字。") % {"label": label}, field=field) from exc
    if not value.is_finite() or value < 0 or value > Decimal("9999"):
        raise DomainError(_("%(label)s应在0到9999之间。") % {"label": label}, field=field)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def save_indicator(
    actor: Any,
    *,
    supervising_agency: Agency,
    year: int,
    name: str,
    weight: Any,
    rule: str,
    per_item: Any = "1",
    description: str = "",
    order: int = 0,
    indicator: Indicator | None = None,
) -> Indicator:
    _require(actor, supervising_agency)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写指标名称。"), field="name")
    if rule not in IndicatorRule.values:
        raise DomainError(_("请选择评分规则。"), field="rule")
    weight_value = decimal(weight, "weight", _("分值"))
    if weight_value <= 0:
        raise DomainError(_("分值应大于0。"), field="weight")
    each = decimal(per_item, "per_item", _("每项扣分"))
    duplicate = Indicator.objects.filter(
        supervising_agency=supervising_agency, year=year, name=name
    )
    if indicator is not None:
        duplicate = duplicate.exclude(pk=indicator.pk)
    if duplicate.exists():
        raise DomainError(_("本年度已有同名指标。"), field="name")
    before = audit.snapshot(indicator, FIELDS) if indicator else None
    target = indicator or Indicator(supervising_agency=supervising_agency, year=year)
    target.name, target.weight, target.rule, target.per_item = name, weight_value, rule, each
    target.description, target.order = description.strip(), order
    target.save()
    audit.record(
        actor,
        "supervision.indicator_save",
        target,
        agency=supervising_agency,
        before=before,
        after=audit.snapshot(target, FIELDS),
    )
    return target


@transaction.atomic
def delete_indicator(actor: Any, indicator: Indicator) -> str:
    """Delete an indicator (and its manual scores); returns its name."""
    _require(actor, indicator.supervising_agency)
    audit.record(
        actor,
        "supervision.indicator_delete",
        indicator,
        agency=indicator.supervising_agency,
        before=audit.snapshot(indicator, FIELDS),
    )
    name = indicator.name
    indicator.delete()
    return name


@transaction.atomic
def load_defaults(actor: Any, supervising_agency: Agency, year: int) -> int:
    """Create the default indicators the year does not have yet (by name); return how many."""
    _require(actor, supervising_agency)
    existing = set(
        Indicator.objects.filter(supervising_agency=supervising_agency, year=year).values_list(
            "name", flat=True
        )
    )
    created = 0
    for order, (name, weight, rule, each) in enumerate(DEFAULT_INDICATORS, start=1):
        if name in existing:
            continue
        save_indicator(
            actor,
            supervising_agency=supervising_agency,
            year=year,
            name=name,
            weight=weight,
            rule=rule,
            per_item=each,
            order=order * 10,
        )
        created += 1
    return created


@transaction.atomic
def set_manual_score(
    actor: Any, indicator: Indicator, unit: Agency, score: Any, reason: str
) -> ManualScore:
    _require(actor, indicator.supervising_agency)
    if indicator.rule != IndicatorRule.MANUAL:
        raise DomainError(_("只有人工评分的指标可以手工打分。"), field="score")
    if unit.parent_id != indicator.supervising_agency_id:
        raise DomainError(_("该单位不是本机关的考核对象。"), field="unit")
    value = decimal(score, "score", _("得分"))
    if value > indicator.weight:
        raise DomainError(
            _("得分不能超过该指标的分值%(w)s。") % {"w": indicator.weight}, field="score"
        )
    if value < indicator.weight and not (reason or "").strip():
        raise DomainError(_("扣分时请写明理由。"), field="reason")
    current = ManualScore.objects.filter(indicator=indicator, unit=unit).first()
    before = audit.snapshot(current, ["score", "reason"]) if current else None
    manual, _created = ManualScore.objects.update_or_create(
        indicator=indicator,
        unit=unit,
        defaults={"score": value, "reason": (reason or "").strip(), "scored_by": actor},
    )
    audit.record(
        actor,
        "supervision.manual_score",
        manual,
        agency=indicator.supervising_agency,
        before=before,
        after=audit.snapshot(manual, ["score", "reason"]),
        extra={"indicator": indicator.name, "unit": unit.name},
    )
    return manual
