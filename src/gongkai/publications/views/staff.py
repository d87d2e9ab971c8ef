"""Staff console of proactive disclosure (/console/documents/). Thin: rules are in ``services``.

Every queryset starts from :mod:`gongkai.agencies.scoping`: documents outside the user's agencies
are not found (404); inside the read scope but without the role for an action: 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import (
    agencies_for,
    get_in_scope_or_404,
    is_staff_user,
    require_role,
    roles_in,
    scope,
)
from gongkai.core.dates import today
from gongkai.core.errors import DomainError
from gongkai.publications import index_numbers, rules, services
from gongkai.publications.attachments import MAX_FILE_BYTES, AttachmentLimitHandler
from gongkai.publications.forms import (
    AttachmentForm,
    DocumentForm,
    InterpretationForm,
    ReviewForm,
    ReviseForm,
    SettingsForm,
    StaffFilterForm,
    ValidityForm,
    WithdrawForm,
)
from gongkai.publications.models import (
    Attachment,
    Document,
    DocumentStatus,
    Interpretation,
    PublicationSettings,
)
from gongkai.site import audit
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

PER_PAGE = 20
ACTION_LABELS = {a.value: a.label for a in services.AuditAction}
SETTINGS_ROLES = frozenset({Role.ADMINISTRATOR, Role.HEAD})


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required, and the user must have at least one agency role."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            raise PermissionDenied(_("您的账号尚未分配任何机构岗位，请联系系统管理员。"))
        return view(request, *args, **kwargs)

    return wrapper


def _document(request: HttpRequest, pk: int) -> Document:
    return get_in_scope_or_404(
        Document.objects.select_related("agency", "column", "category", "abolished_by"),
        request.user,
        roles=services.READ_ROLES,
        pk=pk,
    )


def _run(request: HttpRequest, call: Callable[[], Any], form: Any = None) -> Any:
    """Run a service call; a refused rule becomes a form error (or a message), 403 stays 403."""
    try:
        return call()
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        if form is not None:
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
        return None


def _detail(document: Document) -> HttpResponse:
    return redirect("publications_staff:detail", document.pk)


# --- list and flags ------------------------------------------------------------------------------


@staff_view
def document_list(request: HttpRequest) -> HttpResponse:
    agencies = list(agencies_for(request.user, services.READ_ROLES).order_by("path"))
    form = StaffFilterForm(request.GET or None, agencies=agencies)
    documents = scope(Document.objects.all(), request.user, services.READ_ROLES).select_related(
        "agency", "column"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            documents = documents.filter(
                Q(title__icontains=data["q"])
                | Q(doc_number__icontains=data["q"])
                | Q(index_number__icontains=data["q"])
            )
        if data["agency"]:
            documents = documents.filter(agency__code=data["agency"])
        if data["status"]:
            documents = documents.filter(status=data["status"])
        if data["year"]:
            documents = documents.filter(published_on__year=data["year"])
    documents = documents.order_by("-updated_at", "-id")
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    can_create = agencies_for(request.user, services.EDIT_ROLES).exists()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publications/staff/list.html",
        {"form": form, "page": page, "can_create": can_create, "query": query.urlencode()},
    )


def _document_flags(documents: list[Document], day: dt.date) -> list[dict[str, Any]]:
    rows = []
    for document in documents:
        calendar = get_calendar(document.agency)
        try:
            flags = rules.flags_for(
                formed_on=document.formed_or_changed_on,
                published_on=document.published_on,
                requires_interpretation=document.requires_interpretation,
                interpretations_published_on=[
                    link.interpretation.published_on
                    for link in document.interpretation_links.all()
                    if link.interpretation.is_published and link.interpretation.published_on
                ],
                today=day,
                calendar=calendar,
                other_deadline_basis=document.deadline_basis,
            )
        except CalendarYearMissing as exc:
            rows.append({"document": document, "flags": [], "error": exc.message})
            continue
        if flags:
            rows.append({"document": document, "flags": flags, "error": ""})
    return rows


@staff_view
def flags(request: HttpRequest) -> HttpResponse:
    """Documents published late (第二十六条) or with a missing/late interpretation (三同步)."""
    day = today()
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        year = day.year
    documents = list(
        scope(Document.objects.published_in_year(year), request.user, services.READ_ROLES)
        .select_related("agency", "column")
        .prefetch_related(
            Prefetch(
                "interpretation_links",
                queryset=Interpretation.objects.select_related("interpretation").only(
                    "document_id",
                    "interpretation__id",
                    "interpretation__status",
                    "interpretation__published_on",
                ),
            )
        )
        .order_by("-published_on", "-id")
    )
    rows = _document_flags(documents, day)
    return render(
        request,
        "publications/staff/flags.html",
        {
            "rows": rows,
            "year": year,
            "years": range(day.year, day.year - 6, -1),
            "checked": len(documents),
        },
    )


# --- drafting -----------------------------------------------------------------------------------


@staff_view
def create(request: HttpRequest) -> HttpResponse:
    agencies = list(agencies_for(request.user, services.EDIT_ROLES).order_by("path"))
    if not agencies:
        raise PermissionDenied(_("您没有起草主动公开信息的权限。"))
    code = request.GET.get("agency") or request.POST.get("agency_code")
    agency = next((a for a in agencies if a.code == code), None)
    if agency is None and len(agencies) == 1:
        agency = agencies[0]
    if agency is None:
        return render(request, "publications/staff/choose_agency.html", {"agencies": agencies})
    form = DocumentForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        document = _run(
            request, lambda: services.create_draft(request.user, agency, form.to_input()), form
        )
        if document is not None:
            messages.success(request, _("草稿已保存。可上传附件，完成后提交审核。"))
            return _detail(document)
    return render(
        request,
        "publications/staff/form.html",
        {"form": form, "agency": agency, "title": _("起草主动公开信息")},
    )


@staff_view
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    if document.status != DocumentStatus.DRAFT:
        messages.error(request, _("只有草稿可以修改；已发布的文件请使用“修订”。"))
        return _detail(document)
    form = DocumentForm(
        request.POST or None, agency=document.agency, initial=DocumentForm.initial_from(document)
    )
    if request.method == "POST" and form.is_valid():
        saved = _run(
            request, lambda: services.update_draft(request.user, document, form.to_input()), form
        )
        if saved is not None:
            messages.success(request, _("草稿已保存。"))
            return _detail(saved)
    return render(
        request,
        "publications/staff/form.html",
        {"form": form, "agency": document.agency, "document": document, "title": _("修改草稿")},
    )


@staff_view
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    if _run(request, lambda: services.submit(request.user, document)) is not None:
        messages.success(request, _("已提交审核。"))
    return _detail(document)


@csrf_exempt
def upload_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload handlers must be set before the body is read, so CSRF is checked afterwards."""
    request.upload_handlers.insert(0, AttachmentLimitHandler(request))
    return _upload_attachment(request, pk)


@csrf_protect
@staff_view
@require_POST
def _upload_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
    elif _run(request, lambda: services.add_attachment(request.user, document, upload)):
        messages.success(request, _("附件已上传。"))
    return _detail(document)


@staff_view
@require_POST
def remove_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    attachment = get_object_or_404(document.attachments, pk=attachment_id, removed_at__isnull=True)
    if _run(request, lambda: services.remove_attachment(request.user, attachment)):
        messages.success(request, _("附件已移除。"))
    return _detail(document)


@staff_view
def download_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    document = _document(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, document=document)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- detail ---------------------------------------------------------------------------------------


@staff_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    roles = roles_in(request.user, document.agency)
    can_edit = bool(roles & services.EDIT_ROLES)
    can_publish = bool(roles & services.PUBLISH_ROLES)
    status = document.status
    candidates = scope(Document.objects.all(), request.user, services.EDIT_ROLES)
    flags_rows = _document_flags([document], today()) if document.is_published else []
    return render(
        request,
        "publications/staff/detail.html",
        {
            "document": document,
            "attachments": document.attachments.filter(removed_at__isnull=True),
            "reviews": document.reviews.all(),
            "revisions": document.revisions.all(),
            "interpretations": document.interpretation_links.select_related(
                "interpretation", "interpretation__agency"
            ),
            "interprets": document.interprets_links.select_related("document", "document__agency"),
            "entries": [
                {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)}
                for e in audit.entries_for(document)[:50]
            ],
            "flags": flags_rows[0]["flags"] if flags_rows else [],
            "flag_error": flags_rows[0]["error"] if flags_rows else "",
            "can_edit": can_edit and status == DocumentStatus.DRAFT,
            "can_submit": can_edit and status == DocumentStatus.DRAFT,
            "can_review": can_publish and status == DocumentStatus.SUBMITTED,
            "can_manage": can_publish and status == DocumentStatus.PUBLISHED,
            "can_link": can_edit and status != DocumentStatus.WITHDRAWN,
            "attachment_form": AttachmentForm(),
            "interpretation_form": InterpretationForm(document=document, candidates=candidates)
            if can_edit
            else None,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        },
    )


# --- review and publication ------------------------------------------------------------------------


@staff_view
def review(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.PUBLISH_ROLES)
    if document.status != DocumentStatus.SUBMITTED:
        messages.error(request, _("只有待审核的文件可以审查和发布。"))
        return _detail(document)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "publish" and data["decision"] == "passed":
            done = _run(
                request,
                lambda: services.review_and_publish(
                    request.user, document, data["note"], data["reviewed_on"]
                ),
                form,
            )
            if done is not None:
                messages.success(
                    request,
                    _("已发布，索引号 %(number)s。") % {"number": done.index_number},
                )
                return _detail(done)
        else:
            done = _run(
                request,
                lambda: services.record_review(
                    request.user, document, data["decision"], data["note"], data["reviewed_on"]
                ),
                form,
            )
            if done is not None:
                messages.success(request, _("审查意见已记录。"))
                return _detail(document)
    return render(
        request,
        "publications/staff/review.html",
        {
            "document": document,
            "form": form,
            "attachments": document.attachments.filter(removed_at__isnull=True),
        },
    )


@staff_view
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.PUBLISH_ROLES)
    if document.status != DocumentStatus.PUBLISHED:
        messages.error(request, _("只有已发布的文件可以修订。"))
        return _detail(document)
    form = ReviseForm(
        request.POST or None,
        request.FILES or None,
        agency=document.agency,
        initial=DocumentForm.initial_from(document),
    )
    attachments = document.attachments.filter(removed_at__isnull=True)
    if request.method == "POST" and form.is_valid():
        removed = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
        done = _run(
            request,
            lambda: services.revise(
                request.user,
                document,
                form.to_input(),
                form.cleaned_data["reason"],
                review_note=form.cleaned_data["review_note"],
                new_files=request.FILES.getlist("new_files"),
                remove_attachment_ids=removed,
            ),
            form,
        )
        if done is not None:
            messages.success(request, _("已发布第%(n)d版，索引号不变。") % {"n": done.revision})
            return _detail(done)
    return render(
        request,
        "publications/staff/form.html",
        {
            "form": form,
            "agency": document.agency,
            "document": document,
            "attachments": attachments,
            "title": _("修订已发布信息"),
            "multipart": True,
        },
    )


@staff_view
def change_validity(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.PUBLISH_ROLES)
    form = ValidityForm(request.POST or None, document=document, initial={"invalid_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.change_validity(
                request.user,
                document,
                data["validity"],
                data["invalid_on"],
                abolished_by=data["abolished_by"],
                abolished_by_text=data["abolished_by_text"],
            ),
            form,
        )
        if done is not None:
            messages.success(
                request, _("有效性已变更为“%(v)s”。") % {"v": done.get_validity_display()}
            )
            return _detail(done)
    return render(request, "publications/staff/validity.html", {"document": document, "form": form})


@staff_view
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.PUBLISH_ROLES)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: services.withdraw(request.user, document, form.cleaned_data["reason"]),
            form,
        )
        if done is not None:
            messages.success(request, _("已撤回。文件保留在本机构目录中，公众不再可见。"))
            return _detail(done)
    return render(request, "publications/staff/withdraw.html", {"document": document, "form": form})


# --- interpretations -----------------------------------------------------------------------------


@staff_view
@require_POST
def link_interpretation(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    candidates = scope(Document.objects.all(), request.user, services.EDIT_ROLES)
    form = InterpretationForm(request.POST, document=document, candidates=candidates)
    if form.is_valid():
        interpretation = form.cleaned_data["interpretation"]
        if _run(
            request,
            lambda: services.link_interpretation(request.user, document, interpretation),
        ):
            messages.success(request, _("已关联政策解读。"))
    else:
        messages.error(request, _("请选择本机构的解读文件。"))
    return _detail(document)


@staff_view
@require_POST
def unlink_interpretation(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    document = _document(request, pk)
    require_role(request.user, document.agency, services.EDIT_ROLES)
    link = get_object_or_404(
        Interpretation.objects.select_related("document__agency", "interpretation"),
        pk=link_id,
        document=document,
    )
    _run(request, lambda: services.unlink_interpretation(request.user, link))
    messages.success(request, _("已取消关联。"))
    return _detail(document)


# --- settings ----------------------------------------------------------------------------------


@staff_view
def settings_view(request: HttpRequest) -> HttpResponse:
    """The agency's 索引号 pattern (administrators and heads)."""
    agencies = list(agencies_for(request.user, SETTINGS_ROLES).order_by("path"))
    if not agencies:
        raise PermissionDenied(_("只有机构管理员或负责人可以修改索引号规则。"))
    code = request.GET.get("agency") or request.POST.get("agency_code")
    agency: Agency | None = next((a for a in agencies if a.code == code), None) or (
        agencies[0] if len(agencies) == 1 else None
    )
    if agency is None:
        return render(
            request,
            "publications/staff/choose_agency.html",
            {"agencies": agencies, "target": reverse("publications_staff:settings")},
        )
    instance = PublicationSettings.objects.filter(agency=agency).first() or PublicationSettings(
        agency=agency, index_pattern=index_numbers.pattern_for(agency)
    )
    before = {"index_pattern": instance.index_pattern if instance.pk else None}
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit.record(
            request.user,
            services.AuditAction.SETTINGS,
            saved,
            agency=agency,
            before=before,
            after={"index_pattern": saved.index_pattern},
        )
        messages.success(request, _("索引号规则已保存；已发布文件的索引号不变。"))
        return redirect(f"{reverse('publications_staff:settings')}?agency={agency.code}")
    pattern = index_numbers.pattern_for(agency)
    sample = index_numbers.render(pattern, agency, today().year, 1, month=today().month)
    return render(
        request,
        "publications/staff/settings.html",
        {
            "agency": agency,
            "form": form,
            "pattern": pattern,
            "sample": sample,
            "agencies": agencies,
        },
    )
