"""Public pages of disclosure requests (依申请公开): choose an agency, file a request, print the
receipt, follow the request with the tracking code and query password.

Views only translate: the rules are in ``intake``, ``uploads``, ``tracking`` and
``gongkai.core.captcha``. A browser may see a request's receipt and tracking page once it has
filed the request or entered its tracking code and password; the codes it may see are kept in
the session (:data:`SESSION_KEY`).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.directory import directory
from gongkai.agencies.models import Agency
from gongkai.apitokens import ratelimit
from gongkai.applications import intake, tracking, uploads
from gongkai.applications.forms_public import SUBMISSION_TOKEN_RE, RequestForm, TrackForm
from gongkai.applications.models import (
    ApplicantType,
    Application,
    Channel,
    Delivery,
    FormWanted,
    IdType,
)
from gongkai.core import captcha, dates
from gongkai.core.errors import DomainError
from gongkai.core.http import client_address
from gongkai.letters.services import public_letters

SESSION_KEY = "gongkai_applications"
SESSION_LIMIT = 20


# --- who may see what ------------------------------------------------------------------------


def remember(request: HttpRequest, application: Application) -> None:
    """Let this browser session see ``application``'s receipt and tracking page."""
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != application.tracking_code]
    codes.append(application.tracking_code)
    request.session[SESSION_KEY] = codes[-SESSION_LIMIT:]


def applicant_may_view(request: HttpRequest, tracking_code: str) -> bool:
    """Whether this session filed the request or entered its code and password."""
    return tracking_code in request.session.get(SESSION_KEY, [])


def _viewable(request: HttpRequest, code: str) -> Application | None:
    code = intake.normalize_tracking_code(code)
    if not applicant_may_view(request, code):
        return None
    return Application.objects.select_related("agency").filter(tracking_code=code).first()


def submission_identity(id_type: str, id_number: str) -> str:
    """The applicant identity a submission is counted under (the same key as the API's)."""
    return f"{id_type}:{id_number.replace(' ', '').upper()}"


def count_submission(request: HttpRequest, id_type: str, id_number: str) -> None:
    """Count one request submission against the limits the API uses (scopes ``submit_ip`` and
    ``submit_identity`` of :mod:`gongkai.apitokens.ratelimit`, shared with the API: a client
    cannot double its allowance by switching between the form and the API).

    Raises :class:`~gongkai.apitokens.ratelimit.RateLimited` over either limit.
    """
    ratelimit.hit("submit_ip", client_address(request))
    ratelimit.hit("submit_identity", submission_identity(id_type, id_number))


def wait_text(seconds: int) -> str:
    """A wait in words: "N 秒" under two minutes, else rounded up to minutes or hours."""
    if seconds < 120:
        return _("%(n)d 秒") % {"n": seconds}
    minutes = -(-seconds // 60)
    if minutes < 120:
        return _("%(n)d 分钟") % {"n": minutes}
    return _("%(n)d 小时") % {"n": -(-minutes // 60)}


def limited_message(exc: ratelimit.RateLimited) -> str:
    return _(
        "提交过于频繁：同一网络地址或同一证件号码在一段时间内可提交的申请数量有限，"
        "请在 %(wait)s后重试。"
    ) % {"wait": wait_text(exc.retry_after)}


def arrival_instant() -> dt.datetime:
    """Now, as the arrival instant of an online request.

    When "today" is pinned (``GONGKAI_TODAY`` in a demo, ``override_today`` in tests) the
    instant is moved to that day at the current Beijing time, so the arrival never lies after
    the dates the office later records (confirmation, 补正) on the pinned calendar.
    """
    now = dates.now()
    today = dates.today()
    if dates.local_date(now) == today:
        return now
    local_time = now.astimezone(dates.SHANGHAI).time()
    return dt.datetime.combine(today, local_time, tzinfo=dates.SHANGHAI)


# --- choose an agency ------------------------------------------------------------------------


@require_GET
def choose_agency(request: HttpRequest) -> HttpResponse:
    """依申请公开: pick the agency that holds the information (all active agencies accept)."""
    query = (request.GET.get("q") or "").strip()[:50]
    agencies = Agency.objects.active()
    if query:
        agencies = agencies.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return render(
        request,
        "applications/public/choose_agency.html",
        {"groups": directory(agencies), "query": query},
    )


# --- the request form ------------------------------------------------------------------------


@csrf_exempt
def new(request: HttpRequest, code: str) -> HttpResponse:
    """The request form. The upload limit handler must be installed before the body is read,
    hence CSRF is checked by :func:`_new` after it (Django's documented pattern)."""
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.UploadLimitHandler(request))
    return _new(request, code)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _new(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.active(), code=code)
    status = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        if not SUBMISSION_TOKEN_RE.match(token):
            token = secrets.token_urlsafe(32)
        else:
            # The same form submitted again (double click, reload): show what was created.
            done = Application.objects.filter(submission_token=token, agency=agency).first()
            if done is not None:
                remember(request, done)
                return redirect("applications:receipt", done.tracking_code)
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                count_submission(request, data["id_type"], data["id_number"])
                application = intake.create_application(
                    agency,
                    applicant=form.applicant_data(),
                    channel=Channel.ONLINE,
                    arrived_at=arrival_instant(),
                    attachments=data["checked_uploads"],
                    secret=data["secret"],
                    submission_token=data["submission_token"],
                )
            except ratelimit.RateLimited as exc:
                form.add_error(None, limited_message(exc))
                status = 429
                headers["Retry-After"] = str(exc.retry_after)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                remember(request, application)
                return redirect("applications:receipt", application.tracking_code)
    else:
        token = secrets.token_urlsafe(32)
        form = RequestForm(
            initial={
                "applicant_type": ApplicantType.NATURAL_PERSON,
                "id_type": IdType.RESIDENT_ID,
                "form_wanted": FormWanted.PAPER,
                "delivery": Delivery.POST,
            }
        )
    response = render(
        request,
        "applications/public/new.html",
        {
            "agency": agency,
            "form": form,
            "submission_token": token,
            "captcha": captcha.new_challenge(bind=token),
            "organisation_types": [c for c in ApplicantType if c != ApplicantType.NATURAL_PERSON],
            "person_id_types": [t.value for t in intake.PERSON_ID_TYPES],
        },
        status=status,
    )
    for name, value in headers.items():
        response[name] = value
    return response


@never_cache
@require_GET
def captcha_image(request: HttpRequest) -> HttpResponse:
    """The captcha picture of a token (PNG, never cached)."""
    try:
        png = captcha.render_png(request.GET.get("t", ""))
    except DomainError as exc:
        return HttpResponse(exc.message, status=410, content_type="text/plain; charset=utf-8")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def captcha_new(request: HttpRequest) -> HttpResponse:
    """A fresh captcha for the form (htmx partial), bound to the form's submission token."""
    bind = request.GET.get("bind", "")
    if not SUBMISSION_TOKEN_RE.match(bind):
        raise Http404
    return render(
        request,
        "applications/public/_captcha.html",
        {"captcha": captcha.new_challenge(bind=bind), "submission_token": bind},
    )


@never_cache
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The printable receipt after submitting (申请提交回执)."""
    application = _viewable(request, code)
    if application is None:
        return redirect(
            reverse("applications:track") + f"?code={intake.normalize_tracking_code(code)}"
        )
    return render(
        request,
        "applications/public/receipt.html",
        {
            "application": application,
            "attachments": list(application.attachments.order_by("id")),
            "arrived_local": application.arrived_at.astimezone(dates.SHANGHAI),
        },
    )


# --- tracking --------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Enter the tracking code and query password (申请办理进度查询)."""
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            client = client_address(request)
            try:
                ratelimit.hit("status_ip", client)
                application = tracking.find_for_applicant(
                    form.cleaned_data["code"], form.cleaned_data["secret"], client=client
                )
            except ratelimit.RateLimited as exc:
                form.add_error(
                    None,
                    _("查询过于频繁，请在 %(wait)s后重试。") % {"wait": wait_text(exc.retry_after)},
                )
                status = 429
            except tracking.TooManyAttempts as exc:
                form.add_error(None, exc.message)
                status = 429
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                remember(request, application)
                return redirect("applications:track_detail", application.tracking_code)
    else:
        form = TrackForm(initial={"code": (request.GET.get("code") or "")[:40]})
    return render(request, "applications/public/track.html", {"form": form}, status=status)


@never_cache
@require_GET
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant's view of one request: status, dates, timeline, outcome, letters."""
    application = _viewable(request, code)
    if application is None:
        return redirect(
            reverse("applications:track") + f"?code={intake.normalize_tracking_code(code)}"
        )
    return render(
        request,
        "applications/public/track_detail.html",
        {
            "application": application,
            "timeline": tracking.public_timeline(application),
            "outcome_label": tracking.outcome_label(application),
            "letters": public_letters(application),
        },
    )


@require_POST
def forget(request: HttpRequest, code: str) -> HttpResponse:
    """Stop showing a request in this browser (e.g. on a shared computer)."""
    code = intake.normalize_tracking_code(code)
    request.session[SESSION_KEY] = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    return redirect("applications:track")
