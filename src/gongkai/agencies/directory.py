"""The public directory of agencies, grouped by level and sorted by pinyin."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency, AgencyKind


@dataclass
class DirectorySection:
    """The agencies of one group that share a parent (e.g. the banners of one league)."""

    parent: Agency | None
    agencies: list[Agency] = field(default_factory=list)


@dataclass
class DirectoryGroup:
    key: str
    title: str
    agencies: list[Agency] = field(default_factory=list)

    @cached_property
    def sections(self) -> list[DirectorySection]:
        """For groups listed by parent: one section per parent, parents in pinyin order."""
        if self.key not in BY_PARENT:
            return []
        by_parent: dict[int | None, DirectorySection] = {}
        for agency in self.agencies:
            by_parent.setdefault(agency.parent_id, DirectorySection(agency.parent)).agencies.append(
                agency
            )
        return sorted(
            by_parent.values(),
            key=lambda s: (s.parent.pinyin_key, s.parent.name) if s.parent else ("", ""),
        )


GROUPS: list[tuple[str, object]] = [
    ("region", _("自治区")),
    ("league", _("盟市")),
    ("county", _("旗县市区")),
    ("township", _("苏木乡镇、街道")),
    ("region_department", _("自治区政府部门")),
    ("league_department", _("盟市政府部门")),
    ("county_department", _("旗县市区政府部门")),
    ("other", _("其他机关、单位")),
]

#: Groups long enough to be shown in sections, one per parent agency.
BY_PARENT = frozenset({"county", "township", "league_department", "county_department"})


def group_key(agency: Agency, parent_kind: str | None) -> str:
    """The directory group of ``agency``; cities under separate planning stand with the leagues."""
    if agency.kind == AgencyKind.DEPARTMENT:
        return {
            AgencyKind.REGION_GOVERNMENT: "region_department",
            AgencyKind.LEAGUE_GOVERNMENT: "league_department",
            AgencyKind.COUNTY_GOVERNMENT: "county_department",
        }.get(parent_kind or "", "other")
    if agency.is_separately_planned:
        return "league"
    return {
        AgencyKind.REGION_GOVERNMENT: "region",
        AgencyKind.LEAGUE_GOVERNMENT: "league",
        AgencyKind.COUNTY_GOVERNMENT: "county",
        AgencyKind.TOWNSHIP_GOVERNMENT: "township",
    }.get(agency.kind, "other")


def directory(queryset: QuerySet[Agency] | None = None) -> list[DirectoryGroup]:
    """Non-empty groups in fixed level order; agencies in each group in pinyin order.

    One query. In the leagues group the 12 leagues and cities come first, then the cities under
    separate planning.
    """
    rows = (
        (queryset if queryset is not None else Agency.objects.active())
        .select_related("parent")
        .in_pinyin_order()
    )
    groups = {key: DirectoryGroup(key, str(title)) for key, title in GROUPS}
    for agency in rows:
        parent_kind = agency.parent.kind if agency.parent_id else None
        groups[group_key(agency, parent_kind)].agencies.append(agency)
    groups["league"].agencies.sort(key=lambda a: a.is_separately_planned)  # stable: keeps pinyin
    return [g for g in groups.values() if g.agencies]
