"""Console pages: forms turn rule refusals into field errors; list pages keep a query budget."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.publications import attachments, services
from gongkai.publications.models import Document, DocumentStatus, Validity
from tests.publications.conftest import TODAY
from tests.publications.factories import column, draft, published


def form_data(world, **overrides):
    data = {
        "column": column(world.league).pk,
        "title": "关于做好春季防火工作的通知",
        "doc_number": "兴署办发〔2026〕12号",
        "formed_or_changed_on": "2026-03-10",
        "body_html": "<p>各旗县市人民政府：请做好春季防火工作。</p>",
        "validity": "in_force",
        "normative_kind": "",
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_draft_through_the_form(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("publications_staff:create"), form_data(world))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publications_staff:detail", args=[document.pk])
    assert document.status == DocumentStatus.DRAFT and document.agency == world.league


def test_a_wrong_document_number_shows_the_correction_on_the_field(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("publications_staff:create"), form_data(world, doc_number="兴署办发【2026】第012号")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["doc_number"] == [
        "发文字号“兴署办发【2026】第012号”格式不正确，应为：兴署办发〔2026〕12号"
        "（年份用六角括号〔〕括入，序号不编虚位、不加“第”字）。"
    ]
    assert not Document.objects.exists()


def test_unsafe_html_is_cleaned_by_the_form(client, world):
    client.force_login(world.officer)
    client.post(
        reverse("publications_staff:create"),
        form_data(world, body_html='<p>正文</p><img src=x onerror="alert(1)"><script>x()</script>'),
    )
    assert Document.objects.get().body_html == '<p>正文</p><img src="x">'


def test_a_user_with_several_agencies_chooses_one_first(client, world):
    from gongkai.agencies.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.officer, agency=world.county, role=Role.OFFICER)
    client.force_login(world.officer)
    response = client.get(reverse("publications_staff:create"))
    assert [a.code for a in response.context["agencies"]] == ["152200", "152201"]
    response = client.get(reverse("publications_staff:create") + "?agency=152201")
    assert response.context["agency"] == world.county


def test_the_reviewer_publishes_from_the_review_page(client, world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("publications_staff:review", args=[document.pk]),
        {"decision": "passed", "reviewed_on": "2026-03-16", "note": "不涉密", "action": "publish"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.index_number


def test_recording_a_returning_review_keeps_the_document_unpublished(client, world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    client.force_login(world.reviewer)
    client.post(
        reverse("publications_staff:review", args=[document.pk]),
        {
            "decision": "returned",
            "reviewed_on": "2026-03-16",
            "note": "含个人信息",
            "action": "review",
        },
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.index_number is None


def test_abolishing_through_the_form(client, world):
    document = published(world)
    client.force_login(world.head)
    response = client.post(
        reverse("publications_staff:validity", args=[document.pk]),
        {
            "validity": "abolished",
            "invalid_on": "2026-03-16",
            "abolished_by_text": "兴署发〔2026〕9号",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.validity == Validity.ABOLISHED and document.invalid_on == TODAY


def test_revising_through_the_form_with_a_new_attachment(client, world):
    document = published(world)
    client.force_login(world.reviewer)
    data = form_data(world, title="修订后的标题", reason="更正标题", review_note="不涉密")
    data["new_files"] = [SimpleUploadedFile("补充说明.pdf", b"%PDF-1.4\n%%EOF")]
    response = client.post(reverse("publications_staff:revise", args=[document.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    document.refresh_from_db()
    assert document.title == "修订后的标题" and document.revision == 2
    assert document.attachments.get().original_name == "补充说明.pdf"


def test_an_upload_over_the_limit_is_refused_with_its_name(client, world, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_FILE_BYTES", 1024)
    document = draft(world.officer, world.league)
    client.force_login(world.officer)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    response = client.post(
        reverse("publications_staff:upload", args=[document.pk]), {"file": big}, follow=True
    )
    assert "附件“大文件.pdf”超过 50 MB" in response.content.decode()
    assert not document.attachments.exists()


def test_the_flags_page_lists_late_and_uninterpreted_documents(client, world):
    late = published(world, title="迟发的文件", formed_or_changed_on=TODAY.replace(month=1, day=5))
    needs = published(
        world,
        title="无解读的规范性文件",
        normative_kind="normative",
        doc_number="兴署发〔2026〕1号",
        formed_or_changed_on=TODAY,
    )
    from gongkai.publications.models import Document as D

    D.objects.filter(pk=needs.pk).update(published_on=TODAY.replace(day=2))
    client.force_login(world.supervisor)
    response = client.get(reverse("publications_staff:flags"))
    rows = {
        row["document"].title: [f.kind for f in row["flags"]] for row in response.context["rows"]
    }
    assert rows[late.title] == ["published_late"]
    assert rows[needs.title] == ["interpretation_missing"]


def test_the_staff_list_has_a_query_budget(client, world, django_assert_max_num_queries):
    for i in range(25):
        draft(world.officer, world.league, title=f"草稿{i}")
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("publications_staff:list"))
    assert len(response.context["page"].object_list) == 20


def test_the_flags_page_has_a_query_budget(client, world, django_assert_max_num_queries):
    for i in range(8):
        published(
            world,
            title=f"文件{i}",
            normative_kind="normative",
            doc_number=f"兴署发〔2026〕{i + 1}号",
        )
    client.force_login(world.reviewer)
    with django_assert_max_num_queries(16):
        client.get(reverse("publications_staff:flags"))


def test_the_index_pattern_page_saves_and_audits(client, world):
    client.force_login(world.administrator)
    response = client.post(
        reverse("publications_staff:settings"),
        {"agency_code": "152200", "index_pattern": "XA-{agency_code}-{year}-{serial:04d}"},
    )
    assert response.status_code == 302
    document = published(world)
    assert document.index_number == "XA-152200-2026-0001"


def test_a_bad_index_pattern_is_shown_on_the_field(client, world):
    client.force_login(world.administrator)
    response = client.post(
        reverse("publications_staff:settings"), {"agency_code": "152200", "index_pattern": "{year}"}
    )
    assert response.status_code == 200
    assert "{serial}" in str(response.context["form"].errors["index_pattern"])


def test_the_detail_page_shows_the_history_in_chinese(client, world):
    document = published(world)
    client.force_login(world.officer)
    html = client.get(reverse("publications_staff:detail", args=[document.pk])).content.decode()
    for label in ("起草", "提交审核", "保密审查", "发布"):
        assert f"· {label}</li>" in html, label
    assert "publication.create" not in html
