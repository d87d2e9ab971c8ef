"""Staff console for letters (/console/letters/, namespace ``letters_staff``). Thin: the rules
are in :mod:`gongkai.letters.services` and :mod:`gongkai.letters.editing`.

Scoping (:mod:`gongkai.agencies.scoping`): a request, letter or agency outside the user's scope
is *not found* (404); inside the scope, issuing and voiding need the officer or head role in the
request's agency, editing templates and settings the head or administrator role (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for, get_in_scope_or_404, has_role, require_role
from gongkai.applications.models import Application, Event
from gongkai.core.errors import DomainError
from gongkai.letters import editing, kinds, services
from gongkai.letters.content import settings_for, template_for
from gongkai.letters.forms import (
    IssueOptionsForm,
    LetterFieldsForm,
    SettingsForm,
    TemplateForm,
    VoidForm,
)
from gongkai.letters.models import Letter
from gongkai.letters.permissions import ISSUE_ROLES, READ_ROLES, TEMPLATE_ROLES
from gongkai.site.audit import entries_for

HISTORY_SIZE = 30


def _application(request: HttpRequest, application_id: int) -> Application:
    return get_in_scope_or_404(
        Application.objects.select_related("agency", "agency__parent"),
        request.user,
        roles=READ_ROLES,
        pk=application_id,
    )


def _letter(request: HttpRequest, pk: int) -> Letter:
    return get_in_scope_or_404(
        Letter.objects.select_related(
            "agency", "application", "event", "issued_by", "voided_by", "replaces"
        ),
        request.user,
        roles=READ_ROLES,
        pk=pk,
    )


def _spec(kind: str) -> kinds.KindSpec:
    try:
        return kinds.get(kind)
    except DomainError as exc:
        raise Http404 from exc


def _event(application: Application, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id, application=application).first()
    if event is None:
        raise Http404
    return event


def _replaces(request: HttpRequest, application: Application) -> Letter | None:
    value = request.GET.get("replaces") or request.POST.get("replaces")
    if not value:
        return None
    try:
        return Letter.objects.get(pk=int(value), application=application)
    except (ValueError, Letter.DoesNotExist) as exc:
        raise Http404 from exc


def _errors(exc: DomainError) -> list[str]:
    return list(exc.details.get("errors") or [exc.message])


# --- a request's letters --------------------------------------------------------------------


@login_required
def request_letters(request: HttpRequest, application_id: int) -> HttpResponse:
    """The letters a request can have, per step, and those already issued (出具文书)."""
    application = _application(request, application_id)
    events = services.history(application)
    return render(
        request,
        "letters/staff/request_letters.html",
        {
            "application": application,
            "offers": services.offers(application, events),
            "letters": list(services.letters_of(application).select_related("event")),
            "can_issue": services.can_issue(request.user, application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, application_id: int, event_id: int, kind: str) -> HttpResponse:
    """Preview a letter, edit its free-text parts, issue it."""
    application = _application(request, application_id)
    require_role(request.user, application.agency, ISSUE_ROLES)
    spec = _spec(kind)
    event = _event(application, event_id)
    replaces = _replaces(request, application)
    form = LetterFieldsForm(spec, request.POST or None)
    options = IssueOptionsForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and options.is_valid():
        try:
            letter = services.issue(
                application,
                event,
                spec.code,
                inputs=form.cleaned_data,
                actor=request.user,
                replaces=replaces,
                void_replaced=options.cleaned_data["void_replaced"],
                void_reason=options.cleaned_data["void_reason"],
            )
        except DomainError as exc:
            errors = _errors(exc)
        else:
            messages.success(
                request,
                _("已出具%(kind)s：%(number)s") % {"kind": spec.label, "number": letter.number},
            )
            return redirect("letters_staff:detail", pk=letter.pk)
    try:
        draft = services.preview(
            application,
            event,
            spec.code,
            inputs=form.cleaned_data if form.is_bound and form.is_valid() else None,
            replaces=replaces,
        )
    except DomainError as exc:
        return render(
            request,
            "letters/staff/refused.html",
            {"application": application, "spec": spec, "errors": _errors(exc)},
            status=409,
        )
    if not form.is_bound:
        form = LetterFieldsForm(spec, initial=draft.inputs)
    return render(
        request,
        "letters/staff/compose.html",
        {
            "application": application,
            "event": event,
            "spec": spec,
            "form": form,
            "options": options,
            "replaces": replaces,
            "draft": draft,
            "html": services.preview_html(draft),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def compose_preview(
    request: HttpRequest, application_id: int, event_id: int, kind: str
) -> HttpResponse:
    """The live preview of :func:`compose` (htmx fragment)."""
    application = _application(request, application_id)
    require_role(request.user, application.agency, ISSUE_ROLES)
    spec = _spec(kind)
    event = _event(application, event_id)
    form = LetterFieldsForm(spec, request.POST)
    form.is_valid()
    try:
        draft = services.preview(
            application,
            event,
            spec.code,
            inputs=form.cleaned_data,
            replaces=_replaces(request, application),
        )
    except DomainError as exc:
        return render(request, "letters/staff/_preview.html", {"preview_errors": _errors(exc)})
    return render(
        request,
        "letters/staff/_preview.html",
        {"draft": draft, "html": services.preview_html(draft)},
    )


# --- issued letters ---------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    return render(
        request,
        "letters/staff/detail.html",
        {
            "letter": letter,
            "spec": kinds.KINDS.get(letter.kind),
            "can_issue": services.can_issue(request.user, letter.application),
            "void_form": VoidForm(),
            "corrections": list(letter.replaced_by.order_by("issued_at")),
            "history": entries_for(letter)[:HISTORY_SIZE],
        },
    )


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The stored bytes (never regenerated), checked against their SHA-256."""
    letter = _letter(request, pk)
    if fmt not in services.FORMATS:
        raise Http404
    try:
        data = services.read_bytes(letter, fmt)
    except DomainError as exc:
        return render(request, "letters/staff/refused.html", {"errors": [exc.message]}, status=500)
    response = HttpResponse(data, content_type=services.FORMATS[fmt])
    response["Content-Disposition"] = _attachment(services.download_name(letter, fmt))
    response["X-Content-SHA256"] = letter.pdf_sha256 if fmt == "pdf" else letter.docx_sha256
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"letter.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


@login_required
@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    require_role(request.user, letter.agency, ISSUE_ROLES)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.void(letter, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("文书%(number)s已作废，编号保留不再使用。") % {"number": letter.number}
            )
    else:
        messages.error(request, _("请填写作废原因。"))
    return redirect("letters_staff:detail", pk=letter.pk)


# --- templates and settings ---------------------------------------------------------------------


def _editable_agency(request: HttpRequest, code: str) -> Agency:
    agency = get_in_scope_or_404(
        Agency.objects.select_related("parent"), request.user, agency_field="pk", code=code
    )
    require_role(request.user, agency, TEMPLATE_ROLES)
    return agency


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """The letter kinds of one agency with their template (own or default)."""
    agencies = list(agencies_for(request.user, TEMPLATE_ROLES).order_by("path")[:500])
    if not agencies:
        return render(request, "letters/staff/templates.html", {"agencies": []}, status=403)
    wanted = request.GET.get("agency")
    agency = next((a for a in agencies if a.code == wanted), agencies[0])
    if wanted and agency.code != wanted:
        raise Http404
    return render(
        request,
        "letters/staff/templates.html",
        {
            "agencies": agencies,
            "agency": agency,
            "rows": editing.template_rows(agency),
            "settings": settings_for(agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    agency = _editable_agency(request, code)
    spec = _spec(kind)
    current = template_for(agency, spec)
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "reset":
        editing.reset_template(agency, spec, actor=request.user)
        messages.success(request, _("已恢复默认模板。"))
        return redirect("letters_staff:template_edit", code=agency.code, kind=spec.code)
    form = TemplateForm(
        request.POST or None, initial={"title": current.title, "body": current.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            editing.save_template(
                agency,
                spec,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except DomainError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("letters_staff:template_edit", code=agency.code, kind=spec.code)
    source = form.data if form.is_bound else {"title": current.title, "body": current.body}
    preview = editing.preview_template(
        agency, spec, title=source.get("title", ""), body=source.get("body", "")
    )
    variables = [(name, kinds.ALL_VARIABLES[name]) for name in sorted(spec.variables)]
    return render(
        request,
        "letters/staff/template_edit.html",
        {
            "agency": agency,
            "spec": spec,
            "form": form,
            "current": current,
            "errors": errors,
            "preview": preview,
            "variables": variables,
            "required": [(name, kinds.ALL_VARIABLES[name]) for name in spec.required],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def template_preview(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    agency = _editable_agency(request, code)
    spec = _spec(kind)
    preview = editing.preview_template(
        agency, spec, title=request.POST.get("title", ""), body=request.POST.get("body", "")
    )
    return render(request, "letters/staff/_template_preview.html", {"preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    agency = _editable_agency(request, code)
    instance = settings_for(agency)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            editing.save_settings(agency, form.cleaned_data, actor=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("文书设置已保存。"))
            return redirect("letters_staff:settings", code=agency.code)
    return render(
        request,
        "letters/staff/settings.html",
        {
            "agency": agency,
            "form": form,
            "can_edit": has_role(request.user, agency, TEMPLATE_ROLES),
        },
    )
