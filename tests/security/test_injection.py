"""Injection corpus: hostile text through every field that is displayed again.

Each payload of :data:`PAYLOADS` is entered through the real entry point (the public request form,
the API, the tracking and search boxes, the staff document form, the agency profile form, the
supervision services) and then looked at where it is shown. A payload must come back escaped
(``&lt;script&gt;``), never as markup; template syntax must come back literally (not evaluated);
SQL text is stored verbatim and the tables survive; NUL bytes and over-long values are refused
with a form error or a 400, never a 500. :data:`FIELDS` × :data:`PAYLOADS` is the corpus size
(printed by :func:`test_corpus_size`).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.core.dates import override_today
from gongkai.publications import services as publications
from gongkai.publications.models import Column, Document
from gongkai.supervision import complaints
from gongkai.supervision.models import Complaint
from tests.applications.test_public_views import form_data, open_form
from tests.security.htmlform import post_form
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)

#: (name, payload). Markup and attribute breakers, script URLs, SQL, template syntax of Django,
#: Jinja and JS, and text that stresses encoding and layout.
PAYLOADS: list[tuple[str, str]] = [
    ("script", "<script>alert(1)</script>"),
    ("attr_break", '"><img src=x onerror=alert(1)>'),
    ("single_quote_break", "'><svg/onload=alert(1)>"),
    ("svg_onload", "<svg onload=alert(1)></svg>"),
    ("js_link", '<a href="javascript:alert(1)">点我</a>'),
    ("js_url", "javascript:alert(document.cookie)"),
    ("iframe", "<iframe src=//evil.example></iframe>"),
    ("sql_or", "' OR 1=1 --"),
    ("sql_drop", "'; DROP TABLE applications_application; --"),
    ("sql_union", '" UNION SELECT username, password FROM auth_user --'),
    ("django_var", "{{ 7*7 }}"),
    ("django_tag", "{% debug %}"),
    ("js_template", "${7*7}"),
    ("cjk_rtl", "申请人\u202egnp.exe 𠮷野家 ᠮᠣᠩᠭᠣᠯ"),
    ("entity", "&lt;b&gt;已转义&lt;/b&gt; &amp; &#60;"),
]
#: Refused payloads: must give a form error or a 400, never a 500, and store nothing.
NUL = "姓名\x00注入"
LONG = "长" * 20000

PAYLOAD_IDS = [name for name, _ in PAYLOADS]

#: Every field the corpus goes through: (entry point, field), and where it is shown again.
FIELDS: list[tuple[str, str, str]] = [
    ("web request form", "applicant_name", "receipt, staff request page"),
    ("web request form", "address", "receipt, staff request page"),
    ("web request form", "description", "receipt, staff request page"),
    ("web request form", "document_hint", "staff request page"),
    ("API POST /requests", "applicant_name", "staff request page, status JSON"),
    ("API POST /requests", "description", "staff request page, status JSON"),
    ("tracking page", "code", "tracking form"),
    ("agency chooser", "q", "search box"),
    ("document search", "q", "search box and result header"),
    ("staff document form", "title", "staff document page, public page"),
    ("staff document form", "subject", "staff document page"),
    ("staff document form", "body_html", "staff document page, public page (sanitised)"),
    ("agency profile form", "office_name", "public agency page"),
    ("agency profile form", "address", "public agency page"),
    ("agency profile form", "office_hours", "public agency page"),
    ("agency profile form", "guide_text", "public agency page"),
    ("complaint", "complainant", "complaint page"),
    ("complaint", "text", "complaint page"),
    ("supervision task", "title", "task page"),
    ("supervision task", "text", "task page"),
]


#: Fields that also get the NUL and the 20,000-character value (refused, never a 500).
REFUSAL_FIELDS = 9  # web form 2, API 2, tracking GET/POST, agency chooser, search, profile 1


def test_corpus_size(capsys):
    shown = len(FIELDS) * len(PAYLOADS)
    with capsys.disabled():
        print(
            f"\ninjection corpus: {len(PAYLOADS)} payloads × {len(FIELDS)} fields = {shown} "
            f"displayed and checked, + NUL and overlong values on {REFUSAL_FIELDS} fields"
        )
    assert shown >= 300


def assert_safe(html: str, payload: str, where: str) -> None:
    """``payload`` is shown escaped (or not at all, if markup), never as live markup."""
    if any(c in payload for c in "<>\"'&"):
        if "<" in payload:
            assert payload not in html, f"{where}: raw markup {payload!r} in the page"
        assert escape(payload) in html, f"{where}: {payload!r} not shown escaped"
    else:
        assert payload in html, f"{where}: {payload!r} not shown literally (evaluated?)"
    lowered = html.lower()
    for marker in ('href="javascript:', "<script>alert", "<svg onload", "<svg/onload", "<iframe"):
        assert marker not in lowered, f"{where}: live {marker!r} in the page"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_API_RATE_LIMITS = {"submit_ip": (10**6, 3600), "submit_identity": (10**6, 1)}
    cache.clear()
    with override_today(TODAY):
        yield
    cache.clear()


def _staff_page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("applications_staff:detail", args=[application.pk]))
    client.logout()
    assert response.status_code == 200
    return response.content.decode()


# --- the public request form ---------------------------------------------------------------


WEB_FIELDS = ("applicant_name", "address", "description", "document_hint")


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=PAYLOAD_IDS)
def test_web_request_form(client, world, payload):
    page = open_form(client, world.league)
    data = form_data(page, **dict.fromkeys(WEB_FIELDS, payload))
    response = client.post(reverse("applications:new", args=[world.league.code]), data)
    assert response.status_code == 302, "the form refused a harmless text payload"
    application = Application.objects.get()
    for name in WEB_FIELDS:
        assert getattr(application, name) == payload, f"{name} not stored verbatim"
    receipt = client.get(response["Location"]).content.decode()
    assert_safe(receipt, payload, "receipt")
    assert_safe(_staff_page(client, world.officer, application), payload, "staff request page")
    assert Application.objects.count() == 1, "tables intact after SQL-looking input"


@pytest.mark.parametrize("bad", [NUL, LONG], ids=["nul", "long"])
def test_web_request_form_refuses_nul_and_overlong_text(client, world, bad):
    page = open_form(client, world.league)
    data = form_data(page, applicant_name=bad, description=bad)
    response = client.post(reverse("applications:new", args=[world.league.code]), data)
    assert response.status_code == 200, "expected the form again with an error, not a crash"
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert not Application.objects.exists(), "a refused submission was stored"


# --- the API ---------------------------------------------------------------------------------


def _api_submit(client, agency: Agency, **fields):
    from tests.api.helpers import submission

    return client.post(
        "/api/v1/requests",
        json.dumps(submission(agency.code, **fields)),
        content_type="application/json",
    )


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=PAYLOAD_IDS)
def test_api_request_body(client, world, payload):
    response = _api_submit(client, world.league, applicant_name=payload, description=payload)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    application = Application.objects.get(tracking_code=body["tracking_code"])
    assert application.applicant_name == payload and application.description == payload
    assert response["Content-Type"].startswith("application/json")
    assert_safe(_staff_page(client, world.officer, application), payload, "staff request page")


@pytest.mark.parametrize("bad", [NUL, LONG], ids=["nul", "long"])
def test_api_refuses_nul_and_overlong_text(client, world, bad):
    response = _api_submit(client, world.league, applicant_name=bad, description=bad)
    assert response.status_code == 400, f"expected 400, got {response.status_code}"
    assert response.json()["field"] in ("applicant_name", "description")
    assert not Application.objects.exists()


# --- boxes that echo their input -------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", [p for _, p in PAYLOADS] + [NUL, LONG], ids=[*PAYLOAD_IDS, "nul", "long"]
)
def test_echoing_boxes(client, world, payload):
    for name, url, params, shown in (
        ("tracking", reverse("applications:track"), {"code": payload}, payload[:40]),
        ("agency chooser", reverse("applications:choose_agency"), {"q": payload}, payload[:50]),
        ("document search", reverse("publications:search"), {"q": payload}, None),
    ):
        response = client.get(url, params)
        assert response.status_code in (200, 400), f"{name}: {response.status_code}"
        if response.status_code == 200 and payload not in (NUL, LONG):
            assert_safe(response.content.decode(), shown or payload, name)
    response = client.post(reverse("applications:track"), {"code": payload, "secret": payload})
    assert response.status_code in (200, 400), f"tracking POST: {response.status_code}"


# --- staff document form ---------------------------------------------------------------------


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=PAYLOAD_IDS)
def test_document_form(client, world, payload):
    client.force_login(world.officer)
    create = reverse("publications_staff:create")
    response = post_form(
        client,
        create,
        {
            "title": payload,
            "subject": payload,
            "body_html": f"<p>正文：{payload}</p>",
            "formed_or_changed_on": "2026-03-10",
            "column": str(Column.objects.get(agency=world.league, code="policies").pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.title == payload, "title not stored verbatim"
    staff = client.get(reverse("publications_staff:detail", args=[document.pk])).content.decode()
    assert_safe(staff, payload, "staff document page")
    publications.submit(world.officer, document)
    publications.review_and_publish(world.reviewer, document, note="不涉密")
    public = client.get(
        reverse("publications:document", args=[world.league.code, document.pk])
    ).content.decode()
    assert_safe(public, payload, "public document page")


def test_document_body_is_sanitised(client, world):
    body = "".join(f"<p>{p}</p>" for _, p in PAYLOADS if "<" in p)
    data = publications.DocumentInput(
        column=Column.objects.get(agency=world.league, code="policies"),
        title="正文清洗",
        body_html=body,
        formed_or_changed_on=dt.date(2026, 3, 10),
    )
    document = publications.create_draft(world.officer, world.league, data)
    stored = document.body_html.lower()
    for marker in ("<script", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert marker not in stored, f"sanitiser kept {marker!r}"


# --- agency profile --------------------------------------------------------------------------


PROFILE_FIELDS = ("office_name", "address", "office_hours", "guide_text")


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=PAYLOAD_IDS)
def test_agency_profile(client, world, payload):
    client.force_login(world.head)
    url = reverse("agencies_staff:edit", args=[world.league.code])
    response = post_form(client, url, dict.fromkeys(PROFILE_FIELDS, payload))
    assert response.status_code == 302, response.content.decode()[:2000]
    world.league.refresh_from_db()
    assert world.league.office_name == payload
    html = client.get(reverse("agencies:detail", args=[world.league.code])).content.decode()
    assert_safe(html, payload, "public agency page")


@pytest.mark.parametrize("bad", [NUL, LONG], ids=["nul", "long"])
def test_agency_profile_refuses_nul_and_overlong_text(client, world, bad):
    client.force_login(world.head)
    url = reverse("agencies_staff:edit", args=[world.league.code])
    response = post_form(client, url, {"office_name": bad})
    assert response.status_code == 200, (
        f"expected the form with an error, got {response.status_code}"
    )
    world.league.refresh_from_db()
    assert world.league.office_name != bad


# --- supervision -----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=PAYLOAD_IDS)
def test_complaint_and_task_text(client, world, payload):
    complaint = complaints.register(
        world.supervisor,
        receiving_agency=world.league,
        unit=world.county,
        complainant=payload[:100],
        contact="13900000000",
        category="other",
        text=payload,
        received_on=TODAY,
    )
    task = make_task(world.supervisor, world.league, [world.county], today=TODAY)
    task.title, task.text = payload, payload
    task.save(update_fields=["title", "text"])
    client.force_login(world.supervisor)
    html = client.get(reverse("supervision_staff:complaint", args=[complaint.pk])).content.decode()
    assert_safe(html, payload, "complaint page")
    html = client.get(reverse("supervision_staff:task", args=[task.pk])).content.decode()
    assert_safe(html, payload, "task page")
    assert Complaint.objects.get().text == payload
