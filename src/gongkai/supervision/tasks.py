"""Supervision tasks (督办任务): create, assign, report progress, urge, follow up, comment, strike
off. One function per step, each in one transaction, each writing one audit entry; views, the
command and tests call these.

Who may do what (through :mod:`gongkai.agencies.scoping`):

- a **supervisor** (主管) of the supervising agency, or of an ancestor, creates tasks and acts on
  them (催办、盯办、批注、销账); supervisors read the tasks of every supervising agency in their
  subtree;
- any member of a responsible unit (or the unit's owner) reads its tasks and files progress reports.

Collective units in the work points (docs/decisions.md, "Collective units"): for a supervising
agency *S*, let *G* be its government (*S* itself when *S* is a government). Then
「各地区、各部门」/「各盟市、各部门」 = every active agency directly under *G* except *S* (the next
level's governments and *G*'s own departments); 「各级政府」/「各级人民政府」 and 「各盟市」 = the
active governments directly under *G*. 「自治区相关部门」 names no agency: it is listed for manual
matching like an unknown name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import GOVERNMENT_KINDS, Agency, Membership, Role
from gongkai.agencies.scoping import agencies_for, has_role
from gongkai.core import dates
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site import audit
from gongkai.supervision import lights
from gongkai.supervision.attachments import CheckedFile, check_file, check_files
from gongkai.supervision.models import (
    ActionKind,
    ProgressAttachment,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskStatus,
    TaskUnit,
    UnitRole,
)
from gongkai.workdays.calendar import get_calendar

SUPERVISE_ROLES = frozenset({Role.SUPERVISOR})
UNIT_ROLES = frozenset(Role)

ACTIONS = {
    "create": gettext_lazy("创建督办任务"),
    "update": gettext_lazy("修改督办任务"),
    "unit_add": gettext_lazy("增加责任单位"),
    "owner": gettext_lazy("指定责任人"),
    "report": gettext_lazy("报告进展"),
    ActionKind.URGE: gettext_lazy("催办"),
    ActionKind.FOLLOW_UP: gettext_lazy("盯办"),
    ActionKind.COMMENT: gettext_lazy("批注"),
    ActionKind.STRIKE_OFF: gettext_lazy("销账"),
}
for _code, _label in ACTIONS.items():
    audit.register_action(f"supervision.{_code}", _label)
audit.register_action("supervision.complaint_create", gettext_lazy("登记投诉举报"))
audit.register_action("supervision.complaint_assign", gettext_lazy("分办投诉举报"))
audit.register_action("supervision.complaint_reply", gettext_lazy("答复投诉举报"))
audit.register_action("supervision.indicator_save", gettext_lazy("修改考核指标"))
audit.register_action("supervision.indicator_delete", gettext_lazy("删除考核指标"))
audit.register_action("supervision.manual_score", gettext_lazy("人工评分"))


# --- Scope ----------------------------------------------------------------------------------------


def tasks_for_supervisor(user: Any) -> QuerySet[SupervisionTask]:
    """Tasks of every supervising agency in the user's supervisor scope."""
    return SupervisionTask.objects.filter(
        supervising_agency__in=agencies_for(user, SUPERVISE_ROLES).values("pk")
    )


def units_for_member(user: Any) -> QuerySet[TaskUnit]:
    """Responsible units the user belongs to (any role, subtree roles included) or owns."""
    if user is None or not user.is_authenticated:
        return TaskUnit.objects.none()
    return TaskUnit.objects.filter(
        Q(agency__in=agencies_for(user, UNIT_ROLES).values("pk")) | Q(owner=user)
    )


def visible_tasks(user: Any) -> QuerySet[SupervisionTask]:
    """Tasks the user may read: supervised by them, or with one of their units."""
    return SupervisionTask.objects.filter(
        Q(pk__in=tasks_for_supervisor(user).values("pk"))
        | Q(pk__in=units_for_member(user).values("task_id"))
    )


def can_supervise(user: Any, task: SupervisionTask) -> bool:
    return has_role(user, task.supervising_agency, SUPERVISE_ROLES)


class Memberships:
    """A user's memberships, loaded once, to answer per-unit questions on a page without a query
    per unit (same rules as :mod:`gongkai.agencies.scoping`)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        active = user is not None and user.is_authenticated and user.is_active
        self.superuser = bool(active and user.is_superuser)
        self.rows = (
            list(Membership.objects.filter(user=user).select_related("agency")) if active else []
        )

    def roles_in(self, agency: Agency) -> set[Role]:
        if self.superuser:
            return set(Role)
        return {
            Role(m.role)
            for m in self.rows
            if m.agency_id == agency.pk
            or (m.covers_subtree and agency.path.startswith(m.agency.path))
        }

    def can_report(self, unit: TaskUnit) -> bool:
        """The unit's owner, its members, and holders of a subtree role (supervisor,
        administrator) in an agency between the supervising agency and the unit — not the
        supervising office itself, which supervises rather than reports."""
        if not self.rows and not self.superuser:
            return bool(self.user and unit.owner_id and self.user.pk == unit.owner_id)
        if unit.owner_id is not None and self.user.pk == unit.owner_id:
            return True
        if self.superuser:
            return True
        supervising_path = unit.task.supervising_agency.path
        for m in self.rows:
            if m.agency_id == unit.agency_id:
                return True
            if (
                m.covers_subtree
                and unit.agency.path.startswith(m.agency.path)
                and not supervising_path.startswith(m.agency.path)
            ):
                return True
        return False


def can_report(user: Any, unit: TaskUnit) -> bool:
    """See :meth:`Memberships.can_report`."""
    return Memberships(user).can_report(unit)


def my_units(user: Any) -> QuerySet[TaskUnit]:
    """The unit console: units the user reports for, without the tasks the user supervises."""
    return units_for_member(user).exclude(
        task__supervising_agency__in=agencies_for(user, SUPERVISE_ROLES).values("pk")
    )


def _require_supervisor(actor: Any, agency: Agency) -> None:
    if not has_role(actor, agency, SUPERVISE_ROLES):
        raise PermissionDeniedError(_("只有督办机关的主管才能进行此操作。"))


# --- Collective units and name resolution --------------------------------------------------------


def supervising_government(agency: Agency) -> Agency:
    return agency.government or agency


def unit_pool(supervising_agency: Agency) -> QuerySet[Agency]:
    """Agencies that may be responsible units of the agency's tasks: its government's active
    subtree, without the supervising agency itself."""
    government = supervising_government(supervising_agency)
    return (
        Agency.objects.active()
        .subtree_of(government)
        .exclude(pk=supervising_agency.pk)
        .order_by("depth", "pinyin_key", "name")
    )


def expand_collective(supervising_agency: Agency, collective: str) -> list[Agency]:
    """The agencies a collective name stands for (see the module docstring); [] when it names no
    agency (「相关部门」)."""
    government = supervising_government(supervising_agency)
    children = (
        Agency.objects.active()
        .filter(parent=government)
        .exclude(pk=supervising_agency.pk)
        .order_by("kind", "pinyin_key", "name")
    )
    if collective == "all_units":
        return list(children)
    if collective in ("all_governments", "all_leagues"):
        return list(children.filter(kind__in=GOVERNMENT_KINDS))
    return []


COLLECTIVE_LABELS = {
    "all_units": gettext_lazy("各地区、各部门"),
    "all_governments": gettext_lazy("各级政府"),
    "all_leagues": gettext_lazy("各盟市"),
}


def split_names(text: str) -> list[str]:
    """``"财政厅、教育厅, 审计厅"`` → three names (、，,；; and new lines separate names)."""
    import re

    return [part.strip() for part in re.split(r"[、，,；;\n]+", text or "") if part.strip()]


def resolve_names(text: str, pool: Iterable[Agency]) -> tuple[list[Agency], list[str]]:
    """Agencies named in ``text`` (full name, short name or code; then the work-points matcher
    with its alias table), and the names that matched nothing."""
    from gongkai.supervision import workpoints

    agencies = list(pool)
    by_key: dict[str, Agency] = {}
    for agency in agencies:
        for key in (agency.name, agency.code, agency.short_name):
            if key:
                by_key.setdefault(key, agency)
    pairs = [(a.pk, a.name) for a in agencies]
    by_pk = {a.pk: a for a in agencies}
    found: list[Agency] = []
    unknown: list[str] = []
    for name in split_names(text):
        agency = by_key.get(name)
        if agency is None:
            pk = workpoints.match_unit(name, pairs)
            agency = by_pk.get(pk) if pk is not None else None
        if agency is None:
            unknown.append(name)
        elif agency not in found:
            found.append(agency)
    return found, unknown


# --- Creating tasks -------------------------------------------------------------------------------


@dataclass
class TaskDraft:
    """A task ready to be created (from the import preview or the hand-entry form)."""

    number: str
    title: str
    due_on: dt.date
    leads: list[Agency]
    cooperating: list[Agency] = field(default_factory=list)
    text: str = ""
    section: str = ""
    source_notes: str = ""
    monthly_reporting: bool = False


def _check_draft(draft: TaskDraft, pool_ids: set[int]) -> None:
    label = draft.number or draft.title
    if not draft.number.strip():
        raise DomainError(_("任务编号不能为空。"), field="number")
    if not draft.title.strip():
        raise DomainError(_("任务 %(n)s 的名称不能为空。") % {"n": label}, field="title")
    if not draft.leads:
        raise DomainError(
            _("任务 %(n)s 没有牵头单位，请至少指定一个。") % {"n": label}, field="leads"
        )
    outside = [a.name for a in [*draft.leads, *draft.cooperating] if a.pk not in pool_ids]
    if outside:
        raise DomainError(
            _("任务 %(n)s 的单位不在督办机关的管辖范围内：%(names)s。")
            % {"n": label, "names": "、".join(outside)},
            field="leads",
        )


@transaction.atomic
def create_tasks(
    actor: Any,
    supervising_agency: Agency,
    year: int,
    drafts: list[TaskDraft],
    *,
    issued_on: dt.date | None = None,
) -> list[SupervisionTask]:
    """Create every draft in one transaction (all or nothing), with its units and lights."""
    _require_supervisor(actor, supervising_agency)
    if not drafts:
        raise DomainError(_("没有要创建的任务。"), code="nothing_to_create")
    if not 2000 <= year <= 2100:
        raise DomainError(_("年度不正确。"), field="year")
    issued = issued_on or dates.today()
    pool_ids = set(unit_pool(supervising_agency).values_list("pk", flat=True))
    numbers = [d.number.strip() for d in drafts]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise DomainError(_("任务编号重复：%(n)s。") % {"n": "、".join(duplicates)}, field="number")
    existing = set(
        SupervisionTask.objects.filter(
            supervising_agency=supervising_agency, year=year, number__in=numbers
        ).values_list("number", flat=True)
    )
    if existing:
        raise DomainError(
            _("%(year)d年已有编号为 %(n)s 的督办任务，请修改编号或取消勾选。")
            % {"year": year, "n": "、".join(sorted(existing))},
            code="duplicate_number",
            field="number",
        )
    created = []
    for draft in drafts:
        _check_draft(draft, pool_ids)
        if draft.due_on < issued:
            raise DomainError(
                _("任务 %(n)s 的完成时限早于下达日期。") % {"n": draft.number}, field="due_on"
            )
        task = SupervisionTask.objects.create(
            supervising_agency=supervising_agency,
            year=year,
            number=draft.number.strip(),
            title=draft.title.strip()[:300],
            section=draft.section[:200],
            text=draft.text,
            source_notes=draft.source_notes,
            issued_on=issued,
            due_on=draft.due_on,
            monthly_reporting=draft.monthly_reporting,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        lead_ids = set()
        units = []
        for agency in draft.leads:
            if agency.pk not in lead_ids:
                lead_ids.add(agency.pk)
                units.append(TaskUnit(task=task, agency=agency, role=UnitRole.LEAD))
        for agency in draft.cooperating:
            if agency.pk not in lead_ids and agency.pk not in {u.agency_id for u in units}:
                units.append(TaskUnit(task=task, agency=agency, role=UnitRole.COOPERATING))
        TaskUnit.objects.bulk_create(units)
        audit.record(
            actor,
            "supervision.create",
            task,
            agency=supervising_agency,
            after=audit.snapshot(task, ["number", "title", "due_on", "monthly_reporting"]),
            extra={
                "leads": [u.agency.name for u in units if u.role == UnitRole.LEAD],
                "cooperating": [u.agency.name for u in units if u.role == UnitRole.COOPERATING],
            },
        )
        created.append(task)
    refresh_lights(SupervisionTask.objects.filter(pk__in=[t.pk for t in created]), dates.today())
    return created


@transaction.atomic
def update_task(
    actor: Any,
    task: SupervisionTask,
    *,
    title: str,
    due_on: dt.date,
    monthly_reporting: bool,
    text: str | None = None,
) -> SupervisionTask:
    task = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    _require_supervisor(actor, task.supervising_agency)
    if not task.is_open:
        raise DomainError(_("已销账的任务不能修改。"), code="struck_off")
    if not title.strip():
        raise DomainError(_("任务名称不能为空。"), field="title")
    if due_on < task.issued_on:
        raise DomainError(_("完成时限不能早于下达日期。"), field="due_on")
    fields = ["title", "due_on", "monthly_reporting", "text"]
    before = audit.snapshot(task, fields)
    task.title, task.due_on, task.monthly_reporting = title.strip()[:300], due_on, monthly_reporting
    if text is not None:
        task.text = text
    task.save()
    audit.record(
        actor,
        "supervision.update",
        task,
        agency=task.supervising_agency,
        before=before,
        after=audit.snapshot(task, fields),
    )
    refresh_lights(SupervisionTask.objects.filter(pk=task.pk), dates.today())
    return task


@transaction.atomic
def add_unit(actor: Any, task: SupervisionTask, agency: Agency, role: str) -> TaskUnit:
    _require_supervisor(actor, task.supervising_agency)
    if role not in UnitRole.values:
        raise DomainError(_("分工不正确。"), field="role")
    if not unit_pool(task.supervising_agency).filter(pk=agency.pk).exists():
        raise DomainError(_("该单位不在督办机关的管辖范围内。"), field="agency")
    if task.units.filter(agency=agency).exists():
        raise DomainError(_("该单位已是本任务的责任单位。"), field="agency")
    unit = TaskUnit.objects.create(task=task, agency=agency, role=role)
    audit.record(
        actor,
        "supervision.unit_add",
        task,
        agency=task.supervising_agency,
        extra={"unit": agency.name, "role": role},
    )
    refresh_lights(SupervisionTask.objects.filter(pk=task.pk), dates.today())
    return unit


def owner_candidates(unit: TaskUnit) -> QuerySet:
    """Active users with a membership in the unit's agency."""
    from django.contrib.auth import get_user_model

    user_ids = Membership.objects.filter(agency=unit.agency).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def owner_candidates_by_agency(agency_ids: Iterable[int]) -> dict[int, list[Any]]:
    """``{agency id: [active users with a membership there]}`` in one query."""
    result: dict[int, list[Any]] = defaultdict(list)
    rows = (
        Membership.objects.filter(agency_id__in=list(agency_ids), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for membership in rows:
        if membership.user not in result[membership.agency_id]:
            result[membership.agency_id].append(membership.user)
    return result


@transaction.atomic
def set_owner(actor: Any, unit: TaskUnit, owner: Any | None) -> TaskUnit:
    """The supervisor, or a head or administrator of the unit, names the unit's owner."""
    allowed = has_role(actor, unit.task.supervising_agency, SUPERVISE_ROLES) or has_role(
        actor, unit.agency, {Role.HEAD, Role.ADMINISTRATOR}
    )
    if not allowed:
        raise PermissionDeniedError(_("只有督办机关的主管或本单位负责人可以指定责任人。"))
    if owner is not None and not owner_candidates(unit).filter(pk=owner.pk).exists():
        raise DomainError(_("责任人须是本单位的工作人员。"), field="owner")
    before = {"owner": unit.owner.get_username() if unit.owner else ""}
    unit.owner = owner
    unit.save(update_fields=["owner"])
    audit.record(
        actor,
        "supervision.owner",
        unit.task,
        agency=unit.task.supervising_agency,
        before=before,
        after={"owner": owner.get_username() if owner else ""},
        extra={"unit": unit.agency.name},
    )
    return unit


# --- Progress and actions -------------------------------------------------------------------------


def parse_period(text: str) -> dt.date:
    """``2026-05`` → 2026-05-01 (the month a progress report covers)."""
    import re

    value = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise DomainError(_("报告月份格式不正确，应为 YYYY-MM，例如 2026-05。"), field="period")
    return dt.date(int(match[1]), int(match[2]), 1)


@transaction.atomic
def report_progress(
    actor: Any,
    unit: TaskUnit,
    period: dt.date,
    text: str,
    files: list | None = None,
) -> ProgressReport:
    """A unit reports progress for one month (进展报告 / 月报告), with up to 5 attachments."""
    unit = TaskUnit.objects.select_related("task", "agency").get(pk=unit.pk)
    if not can_report(actor, unit):
        raise PermissionDeniedError(_("只有责任单位的工作人员可以报告进展。"))
    if not unit.task.is_open:
        raise DomainError(_("任务已销账，无需再报告进展。"), code="struck_off")
    if not text.strip():
        raise DomainError(_("请填写进展情况。"), field="text")
    period = lights.month_start(period)
    today = dates.today()
    if period > lights.month_start(today):
        raise DomainError(_("不能报告尚未到来的月份。"), field="period")
    if period < lights.month_start(unit.task.issued_on):
        raise DomainError(_("报告月份早于任务下达的月份。"), field="period")
    checked: list[CheckedFile] = check_files(list(files or []))
    name = (actor.get_full_name() or actor.get_username()) if actor else ""
    report = ProgressReport.objects.create(
        unit=unit, period=period, text=text.strip(), author=actor, author_name=name
    )
    for item in checked:
        attachment = ProgressAttachment(
            report=report,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        attachment.file.save(item.original_name, item.file, save=False)
        attachment.save()
    audit.record(
        actor,
        "supervision.report",
        unit.task,
        agency=unit.agency,
        extra={
            "unit": unit.agency.name,
            "period": period.strftime("%Y-%m"),
            "attachments": [c.original_name for c in checked],
        },
    )
    refresh_lights(SupervisionTask.objects.filter(pk=unit.task_id), today)
    return report


@transaction.atomic
def act(
    actor: Any,
    task: SupervisionTask,
    kind: str,
    text: str,
    *,
    unit: TaskUnit | None = None,
    evidence_file: Any = None,
) -> TaskAction:
    """催办, 盯办, 批注 or 销账 (with evidence: a text, and optionally a file)."""
    task = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    _require_supervisor(actor, task.supervising_agency)
    if kind not in ActionKind.values:
        raise DomainError(_("未知的督办操作。"), code="unknown_action")
    if not task.is_open:
        raise DomainError(
            _("任务已于%(day)s销账。") % {"day": task.struck_off_on}, code="struck_off"
        )
    if unit is not None and unit.task_id != task.pk:
        raise DomainError(_("该单位不是本任务的责任单位。"), field="unit")
    text = (text or "").strip()
    if not text:
        message = (
            _("销账须写明落实情况和依据。") if kind == ActionKind.STRIKE_OFF else _("请填写内容。")
        )
        raise DomainError(message, field="text")
    checked = check_file(evidence_file) if evidence_file else None
    today = dates.today()
    action = TaskAction(
        task=task,
        unit=unit,
        kind=kind,
        text=text,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        on=today,
    )
    if checked is not None:
        action.original_name = checked.original_name
        action.content_type = checked.content_type
        action.size = checked.size
        action.file.save(checked.original_name, checked.file, save=False)
    action.save()
    before = audit.snapshot(task, ["status", "struck_off_on", "evidence"])
    if kind == ActionKind.STRIKE_OFF:
        task.status = TaskStatus.STRUCK_OFF
        task.struck_off_on = today
        task.evidence = text
        task.light = ""
        task.light_on = today
        task.save(update_fields=["status", "struck_off_on", "evidence", "light", "light_on"])
        task.units.update(light="")
    audit.record(
        actor,
        f"supervision.{kind}",
        task,
        agency=task.supervising_agency,
        before=before if kind == ActionKind.STRIKE_OFF else None,
        after=audit.snapshot(task, ["status", "struck_off_on", "evidence"])
        if kind == ActionKind.STRIKE_OFF
        else None,
        extra={
            "text": text,
            "unit": unit.agency.name if unit else "",
            "evidence_file": action.original_name,
        },
    )
    if kind in (ActionKind.URGE, ActionKind.FOLLOW_UP):
        from functools import partial

        from gongkai.supervision.notify import notify_action

        transaction.on_commit(partial(notify_action, action.pk))
    return action


# --- Lights ---------------------------------------------------------------------------------------


def reported_months(unit_ids: Iterable[int]) -> dict[int, set[dt.date]]:
    months: dict[int, set[dt.date]] = defaultdict(set)
    rows = (
        ProgressReport.objects.filter(unit_id__in=list(unit_ids))
        .values_list("unit_id", "period")
        .distinct()
    )
    for unit_id, period in rows:
        months[unit_id].add(period)
    return months


@dataclass
class LightChange:
    tasks: int = 0
    units: int = 0


def refresh_lights(tasks: QuerySet[SupervisionTask], today: dt.date) -> LightChange:
    """Recompute the cached lights of ``tasks`` and their units for ``today``; save changes only.

    A year missing from the calendar leaves the cached light as it was (the task page shows the
    calendar's message)."""
    from gongkai.workdays.calendar import CalendarYearMissing

    change = LightChange()
    task_list = list(tasks.select_related("supervising_agency"))
    if not task_list:
        return change
    units = list(TaskUnit.objects.filter(task__in=[t.pk for t in task_list]))
    months = reported_months(u.pk for u in units)
    by_task: dict[int, list[TaskUnit]] = defaultdict(list)
    for unit in units:
        by_task[unit.task_id].append(unit)
    changed_tasks, changed_units = [], []
    for task in task_list:
        calendar = get_calendar(task.supervising_agency)
        struck = task.status == TaskStatus.STRUCK_OFF
        try:
            unit_lights = {
                unit.pk: lights.unit_light(
                    due_on=task.due_on,
                    today=today,
                    calendar=calendar,
                    struck_off=struck,
                    monthly=task.monthly_reporting,
                    is_lead=unit.is_lead,
                    issued_on=task.issued_on,
                    reported_months=months.get(unit.pk, ()),
                )
                for unit in by_task[task.pk]
            }
            light = lights.task_light(
                due_on=task.due_on,
                today=today,
                calendar=calendar,
                struck_off=struck,
                monthly=task.monthly_reporting,
                issued_on=task.issued_on,
                lead_reports=[months.get(u.pk, ()) for u in by_task[task.pk] if u.is_lead],
            )
        except CalendarYearMissing:
            continue
        if (task.light or None) != light or task.light_on != today:
            task.light, task.light_on = light or "", today
            changed_tasks.append(task)
        for unit in by_task[task.pk]:
            new = unit_lights[unit.pk] or ""
            if unit.light != new:
                unit.light = new
                changed_units.append(unit)
    SupervisionTask.objects.bulk_update(changed_tasks, ["light", "light_on"], batch_size=500)
    TaskUnit.objects.bulk_update(changed_units, ["light"], batch_size=500)
    change.tasks, change.units = len(changed_tasks), len(changed_units)
    return change
