"""Contract tests of the public endpoints: status, schema, fields (no token needed)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, StatusChoice
from gongkai.publications import services as publications
from gongkai.reports.models import AnnualReport, Scope
from tests.api.helpers import draft_document, submission

PAGE_KEYS = {"items", "total", "limit", "offset"}


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:400])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- agencies ---------------------------------------------------------------------------------


def test_the_agency_list_is_the_tree_with_parent_codes(api, world):
    body = ok(api.get("agencies", limit=100))
    assert set(body) == PAGE_KEYS
    assert body["total"] == Agency.objects.count() == len(body["items"])
    by_code = {a["code"]: a for a in body["items"]}
    assert by_code["150000"]["parent_code"] is None
    assert by_code["152200"]["parent_code"] == "150000"
    assert by_code["152201"]["parent_code"] == "152200"
    assert by_code["152200"]["kind"] == "league" and by_code["152200"]["is_government"]
    assert by_code["152200"]["url"] == "http://testserver/agencies/152200/"
    assert body["items"][0]["code"] == "150000", "tree order: the root first"


def test_the_agency_list_pages_with_limit_and_offset(api, world):
    first = ok(api.get("agencies", limit=2))
    second = ok(api.get("agencies", limit=2, offset=2))
    assert first["total"] == second["total"] == 6
    assert (first["limit"], first["offset"], second["offset"]) == (2, 0, 2)
    codes = [a["code"] for a in first["items"] + second["items"]]
    assert len(set(codes)) == 4, "no overlap between pages"


def test_the_agency_list_filters_by_parent_kind_and_name(api, world):
    children = ok(api.get("agencies", parent="152200"))["items"]
    assert {a["code"] for a in children} == {"152200-jyj", "152201"}
    leagues = ok(api.get("agencies", kind="league"))["items"]
    assert {a["code"] for a in leagues} == {"152200", "152500"}
    named = ok(api.get("agencies", q="教育"))["items"]
    assert {a["code"] for a in named} == {"150000-jyt", "152200-jyj"}


def test_the_agency_list_hides_inactive_agencies(api, world):
    Agency.objects.filter(code="152201").update(is_active=False)
    codes = {a["code"] for a in ok(api.get("agencies", limit=100))["items"]}
    assert "152201" not in codes
    assert api.get("agencies/152201").status_code == 404


def test_the_agency_list_uses_a_constant_number_of_queries(
    api, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        api.get("agencies", limit=100)


def test_the_agency_detail_has_the_disclosure_guide(api, world):
    world.league.guide_text = "一、信息分类与编排……"
    world.league.phone = "0482-8226001"
    world.league.save()
    body = ok(api.get("agencies/152200"))
    assert body["guide_text"] == "一、信息分类与编排……"
    assert body["phone"] == "0482-8226001"
    assert [a["code"] for a in body["ancestors"]] == ["150000"]
    assert {a["code"] for a in body["children"]} == {"152200-jyj", "152201"}


def test_an_unknown_agency_is_404(api, world):
    assert api.get("agencies/999999").json()["code"] == "not_found"


# --- documents --------------------------------------------------------------------------------


def test_the_document_list_shows_published_documents_only(api, world, seed):
    body = ok(api.get("documents"))
    ids = {d["id"] for d in body["items"]}
    assert ids == {seed.document.pk, seed.sibling_document.pk}
    assert seed.draft.pk not in ids
    item = next(d for d in body["items"] if d["id"] == seed.document.pk)
    assert item["index_number"] and item["published_on"] == "2026-03-16"
    assert item["agency"] == {"code": "152200", "name": "兴安盟行政公署"}
    assert item["column"]["code"] == "policies"
    assert item["validity"] == "in_force" and item["validity_label"] == "现行有效"


def test_the_document_list_has_the_portals_filters(api, world, seed):
    region = ok(api.get("documents", agency="150000"))["total"]
    league = ok(api.get("documents", agency="152200"))["items"]
    assert region == 2, "an agency filter includes the whole subtree"
    assert [d["id"] for d in league] == [seed.document.pk]
    assert ok(api.get("documents", column="policies"))["total"] == 2
    assert ok(api.get("documents", column="news"))["total"] == 0
    assert ok(api.get("documents", year=2026))["total"] == 2
    assert ok(api.get("documents", year=2025))["total"] == 0
    assert ok(api.get("documents", validity="abolished"))["total"] == 0
    assert api.get("documents", agency="nope").status_code == 404


def test_the_document_list_uses_a_constant_number_of_queries(
    api, world, seed, django_assert_max_num_queries
):
    for i in range(3):
        from tests.api.helpers import published_document

        published_document(world, world.league, f"第{i}号通知")
    with django_assert_max_num_queries(3):
        api.get("documents", limit=100)


def test_search_finds_documents_through_the_search_engine(api, world, seed):
    body = ok(api.get("documents/search", q="信息公开"))
    assert body["total"] == 1
    hit = body["items"][0]
    assert hit["id"] == seed.document.pk
    assert "<mark>信息公开</mark>" in hit["title_highlighted"]
    assert hit["title_match"] is True
    assert hit["document"]["index_number"] == seed.document.index_number


def test_search_with_one_character_explains_why_nothing_was_searched(api, world, seed):
    body = ok(api.get("documents/search", q="通"))
    assert body["total"] == 0 and body["items"] == []
    assert body["notice"], "a Chinese notice asks for two characters"


def test_search_pages_with_any_offset(api, world, seed):
    from tests.api.helpers import published_document

    for i in range(4):
        published_document(world, world.league, f"关于公开事项的通知（{i}）")
    everything = ok(api.get("documents/search", q="通知", limit=10))["items"]
    window = ok(api.get("documents/search", q="通知", limit=2, offset=3))
    assert window["total"] == len(everything) == 6
    assert [h["id"] for h in window["items"]] == [h["id"] for h in everything[3:5]]


def test_the_document_detail_has_metadata_and_attachment_links(api, world, seed):
    document = draft_document(world.officer, world.league, "关于印发实施方案的通知")
    attachment = publications.add_attachment(
        world.officer, document, SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4\n%%EOF")
    )
    publications.submit(world.officer, document)
    publications.review_and_publish(world.reviewer, document)
    body = ok(api.get(f"documents/{document.pk}"))
    assert body["title"] == "关于印发实施方案的通知"
    assert body["formed_or_changed_on"] == "2026-03-10"
    assert body["revision"] == 1
    assert "现将有关事项通知如下" in body["body_text"]
    [link] = body["attachments"]
    assert link["name"] == "实施方案.pdf" and link["size"] == attachment.size
    assert link["url"] == (
        f"http://testserver/documents/152200/{document.pk}/attachments/{attachment.pk}/"
    )
    assert api.client.get(link["url"]).status_code == 200


def test_a_draft_document_is_not_found(api, world, seed):
    assert api.get(f"documents/{seed.draft.pk}").status_code == 404


def test_a_withdrawn_document_is_gone(api, world, seed):
    publications.withdraw(world.reviewer, seed.document, "内容有误")
    response = api.get(f"documents/{seed.document.pk}")
    assert response.status_code == 410
    assert response.json()["code"] == "withdrawn"


# --- annual reports ---------------------------------------------------------------------------


def test_published_reports_are_listed(api, world, seed):
    AnnualReport.objects.create(agency=world.sibling, year=2025, scope=Scope.SELF)  # a draft
    body = ok(api.get("reports"))
    assert body["total"] == 1
    [item] = body["items"]
    assert item["agency"]["code"] == "152200" and item["year"] == 2025
    assert item["scope"] == "self" and item["scope_label"] == "本级"
    assert item["api_url"] == "http://testserver/api/v1/reports/152200/2025/self"
    assert ok(api.get("reports", year=2024))["total"] == 0


def test_a_published_report_has_the_json_grid(api, world, seed):
    body = ok(api.get("reports/152200/2025/self"))
    data = body["data"]
    assert data["year"] == 2025 and data["format"] == "2021"
    assert data["scope"]["kind"] == "self"
    assert "new_received" in data["table3"] or data["table3"], "table 3 rows"
    assert all(isinstance(v, int) for row in data["table3"].values() for v in row.values())
    assert set(body["sections"]) == {"overview", "problems", "other"}
    assert data == seed.report.snapshot, "the locked figures, not a recomputation"


def test_a_draft_report_is_never_public(api, world, seed):
    AnnualReport.objects.create(agency=world.sibling, year=2025, scope=Scope.SELF)
    assert api.get("reports/152500/2025/self").status_code == 404
    assert api.get("reports/152200/2025/subtree").status_code == 404


# --- requests ---------------------------------------------------------------------------------


def test_a_request_is_submitted_with_the_forms_rules(api, world):
    response = api.post("requests", submission("152200"))
    body = ok(response, 201)
    application = Application.objects.get(tracking_code=body["tracking_code"])
    assert application.channel == "online"
    assert application.agency == world.league
    assert body["status"] == StatusChoice.PENDING_CONFIRMATION
    assert body["received_on"] is None, "online: received when the office confirms (art. 31)"
    assert application.events.filter(type="submitted").count() == 1


def test_a_submission_refused_by_the_intake_rules_lists_every_field(api, world):
    bad = submission(
        "152200", id_number="110105194912310021", delivery="email", email="", phone="123"
    )
    response = api.post("requests", bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_application"
    assert set(body["details"]["errors"]) == {"id_number", "email", "phone"}
    assert not Application.objects.exists(), "nothing half-saved"


def test_an_organisation_needs_a_contact_person_as_on_the_form(api, world):
    body = submission(
        "152200",
        applicant_type="commercial",
        applicant_name="某某科技有限公司",
        id_type="credit_code",
        id_number="91150100MA0N1234XK",
    )
    response = api.post("requests", body)
    assert response.status_code == 400
    assert "contact_person" in response.json()["details"]["errors"]


def test_the_query_password_needs_six_characters(api, world):
    response = api.post("requests", submission("152200", secret="12345"))
    assert response.status_code == 400
    assert response.json()["field"] == "secret"


def test_an_unknown_agency_is_refused(api, world):
    response = api.post("requests", submission("999999"))
    assert response.status_code == 400
    assert response.json()["field"] == "agency"


def test_the_same_submission_token_returns_the_same_request(api, world):
    token = "t" * 40
    first = ok(api.post("requests", submission("152200", submission_token=token)), 201)
    again = ok(api.post("requests", submission("152200", submission_token=token)), 201)
    assert first["tracking_code"] == again["tracking_code"]
    assert Application.objects.count() == 1


def test_the_status_is_read_with_tracking_code_and_password(api, world, seed):
    body = ok(
        api.post(
            "requests/status",
            {"tracking_code": seed.request.tracking_code.lower(), "secret": "mima-123456"},
        )
    )
    assert body["tracking_code"] == seed.request.tracking_code
    assert body["status"] == "in_progress"
    assert body["received_on"] == "2026-03-02" and body["due_on"] == "2026-03-30"
    assert [t["label"] for t in body["timeline"]] == ["提交申请"]
    assert body["outcome"] is None and body["letters"] == []


def test_a_wrong_password_and_a_wrong_code_give_the_same_answer(api, world, seed):
    wrong_password = api.post(
        "requests/status", {"tracking_code": seed.request.tracking_code, "secret": "nope-nope"}
    )
    wrong_code = api.post(
        "requests/status", {"tracking_code": "GK-2026-00000000", "secret": "mima-123456"}
    )
    assert wrong_password.status_code == wrong_code.status_code == 404
    assert wrong_password.json() == wrong_code.json()
