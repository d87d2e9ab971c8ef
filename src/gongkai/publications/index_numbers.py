"""索引号 (index numbers): a configurable pattern per agency, serial per agency per year.

National default (政府信息公开目录系统实施指引（试行）, legal-rules §4.3): ``前段码/后段码`` where the
front code is the publisher's 组织机构代码 and the back code is the 4-digit year and a 5-digit
serial joined by 「-」, e.g. ``000014349/2018-00222``; 「是每条信息唯一不变的标识，一经生成不因发布机构
变更而更改」. Local variants (credit code as front code, six-part codes …) are expressed as patterns.

The year is the publication year; the serial restarts every year for every agency. Allocation
locks the agency's counter row (``SELECT … FOR UPDATE``) inside the caller's transaction, so two
reviewers publishing at the same moment never get the same number.
"""

from __future__ import annotations

import datetime as dt
import string

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.errors import DomainError
from gongkai.publications.models import (
    DEFAULT_INDEX_PATTERN,
    Document,
    IndexCounter,
    PublicationSettings,
)

FIELDS = frozenset(
    {"org_code", "credit_code", "division_code", "agency_code", "year", "month", "serial"}
)
#: At least one of these must appear so that two agencies never produce the same number.
AGENCY_FIELDS = frozenset({"org_code", "credit_code", "agency_code"})


def validate_pattern(pattern: str) -> None:
    """Refuse a pattern that is malformed, uses unknown fields or cannot be unique."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise DomainError(
            _("索引号规则“%(pattern)s”格式不正确：%(error)s。")
            % {"pattern": pattern, "error": exc},
            code="invalid_index_pattern",
            field="index_pattern",
        ) from exc
    names = {name for _text, name, _spec, _conv in parts if name is not None}
    unknown = sorted(n for n in names if n not in FIELDS)
    if unknown:
        raise DomainError(
            _("索引号规则中有未知的占位符：%(names)s。可用：%(fields)s。")
            % {
                "names": "、".join("{" + n + "}" for n in unknown),
                "fields": "、".join("{" + f + "}" for f in sorted(FIELDS)),
            },
            code="invalid_index_pattern",
            field="index_pattern",
        )
    missing = [n for n in ("serial", "year") if n not in names]
    if missing or not names & AGENCY_FIELDS:
        raise DomainError(
            _(
                "索引号规则须包含 {serial}（流水号）、{year}（年份）以及 {org_code}、{credit_code} "
                "或 {agency_code} 之一，才能保证索引号唯一。"
            ),
            code="invalid_index_pattern",
            field="index_pattern",
        )
    try:
        render(pattern, _SampleAgency(), 2026, 1, month=1)
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # IndexError: "{serial:{}}"
        raise DomainError(
            _("索引号规则“%(pattern)s”无法生成索引号：%(error)s。")
            % {"pattern": pattern, "error": exc},
            code="invalid_index_pattern",
            field="index_pattern",
        ) from exc


class _SampleAgency:
    index_org_code = "011234567"
    credit_code = "11150000011234567X"
    division_code = "150000"
    code = "150000"


def render(pattern: str, agency: object, year: int, serial: int, *, month: int = 1) -> str:
    """The index number ``pattern`` gives for ``agency``, ``year`` and ``serial``."""
    org_code = getattr(agency, "index_org_code", "") or getattr(agency, "code", "")
    return pattern.format(
        org_code=org_code,
        credit_code=getattr(agency, "credit_code", "") or org_code,
        division_code=getattr(agency, "division_code", "") or getattr(agency, "code", ""),
        agency_code=getattr(agency, "code", ""),
        year=year,
        month=f"{month:02d}",
        serial=serial,
    )


def pattern_for(agency: Agency) -> str:
    """The agency's own pattern, else the nearest ancestor's subtree-wide one, else the default."""
    ancestor_ids = [int(seg) for seg in agency.path.strip("/").split("/") if seg] or [agency.pk]
    rows = {
        s.agency_id: s
        for s in PublicationSettings.objects.filter(agency_id__in=ancestor_ids).only(
            "agency_id", "index_pattern", "applies_to_subtree"
        )
    }
    own = rows.get(agency.pk)
    if own is not None:
        return own.index_pattern
    for ancestor_id in reversed(ancestor_ids[:-1]):
        row = rows.get(ancestor_id)
        if row is not None and row.applies_to_subtree:
            return row.index_pattern
    return DEFAULT_INDEX_PATTERN


def _locked_counter(agency: Agency, year: int) -> IndexCounter:
    try:
        return IndexCounter.objects.select_for_update().get(agency=agency, year=year)
    except IndexCounter.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            IndexCounter.objects.create(agency=agency, year=year, last_serial=0)
    except IntegrityError:
        pass  # created by a concurrent transaction: lock that row instead
    return IndexCounter.objects.select_for_update().get(agency=agency, year=year)


def allocate(agency: Agency, published_on: dt.date) -> str:
    """Issue the next index number of ``agency`` for the year of ``published_on``.

    Must run inside the publishing transaction (the counter stays locked until it commits). A
    candidate already taken — by an imported document or after a pattern change — is skipped.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside transaction.atomic()")
    pattern = pattern_for(agency)
    counter = _locked_counter(agency, published_on.year)
    serial = counter.last_serial
    while True:
        serial += 1
        candidate = render(pattern, agency, published_on.year, serial, month=published_on.month)
        if len(candidate) > 64:
            raise DomainError(
                _("按规则生成的索引号超过64个字符：%(value)s。") % {"value": candidate},
                code="index_number_too_long",
            )
        if not Document.objects.filter(index_number=candidate).exists():
            break
    counter.last_serial = serial
    counter.save(update_fields=["last_serial"])
    return candidate
