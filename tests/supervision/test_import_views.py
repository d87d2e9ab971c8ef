"""Creating tasks from the reference work points through the preview and confirm pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from gongkai.site.models import AuditEntry
from gongkai.supervision.models import SupervisionTask, TaskUnit, UnitRole
from tests.supervision.htmlform import as_post, form_data

pytestmark = pytest.mark.django_db

EXPECTED_NUMBERS = (
    [f"一（{n}）" for n in "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六".split()]
    + ["二（一）", "二（二）", "二（三）"]
    + ["三（一）", "三（二）", "三（三）", "三（四）"]
)
#: In order of first appearance (一（五）, 一（六）, 一（八）, 三（一）).
UNMATCHED = ["自治区相关部门", "自治区地税局", "自治区扶贫办", "自治区各相关部门"]
POVERTY_OFFICE = UNMATCHED.index("自治区扶贫办")


@pytest.fixture
def preview(client, demo_region, work_points_text):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:import"),
        {"supervising_agency": demo_region.region.pk, "text": work_points_text},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def confirm(client, data):
    return client.post(reverse("supervision_staff:import_confirm"), as_post(data))


def preview_form(preview):
    return form_data(preview.content.decode(), "preview-form")


def skip_unmatched(data):
    """Record the vanished names without an agency, except the poverty office, the only lead of
    一（八）: its work went to the agriculture and animal husbandry department."""
    for index in range(len(UNMATCHED)):
        data.setlist(f"skip-{index}", ["1"])
    data.setlist(f"skip-{POVERTY_OFFICE}", [])
    data.setlist(f"match-{POVERTY_OFFICE}", ["内蒙古自治区农牧厅"])
    return data


def test_the_preview_proposes_every_numbered_item_and_creates_nothing(preview):
    html = preview.content.decode()
    for number in EXPECTED_NUMBERS:
        assert f"<strong>{number}</strong>" in html, f"{number} missing from the preview"
    assert SupervisionTask.objects.count() == 0
    assert "识别出 23 项编号事项" in html


def test_the_preview_lists_unknown_unit_names_for_manual_matching(preview):
    html = preview.content.decode()
    for name in UNMATCHED:
        assert f"<td>{name}</td>" in html, f"{name} not listed for matching"
    assert "match-0" in html and "skip-0" in html


def test_the_preview_shows_the_closing_paragraph_with_its_deadline(preview):
    html = preview.content.decode()
    assert "未归入编号事项的段落" in html
    assert 'name="extra_due-0" value="2016-06-15"' in html


def test_confirming_without_resolving_unknown_names_creates_nothing(client, preview):
    response = confirm(client, preview_form(preview))
    assert response.status_code == 400
    assert "请为“自治区地税局”指定对应的机构" in response.content.decode()
    assert SupervisionTask.objects.count() == 0


def test_confirming_creates_one_task_per_item_with_matched_lead_units(client, demo_region, preview):
    response = confirm(client, skip_unmatched(preview_form(preview)))
    assert response.status_code == 302, response.content.decode()[:3000]
    tasks = SupervisionTask.objects.filter(supervising_agency=demo_region.region, year=2016)
    assert sorted(tasks.values_list("number", flat=True)) == sorted(EXPECTED_NUMBERS)
    environment = tasks.get(number="一（十二）")
    units = {(u.agency.name, u.role) for u in environment.units.select_related("agency")}
    assert units == {
        ("内蒙古自治区生态环境厅", UnitRole.LEAD),
        ("内蒙古自治区住房和城乡建设厅", UnitRole.COOPERATING),
        ("内蒙古自治区水利厅", UnitRole.COOPERATING),
        ("内蒙古自治区卫生健康委员会", UnitRole.COOPERATING),
    }
    first = tasks.get(number="一（一）")
    assert [u.agency.name for u in first.units.all()] == ["内蒙古自治区司法厅"]


def test_a_paragraph_with_several_leads_adds_each_lead_once(client, demo_region, preview):
    confirm(client, skip_unmatched(preview_form(preview)))
    task = SupervisionTask.objects.get(number="一（二）")
    leads = sorted(task.units.filter(role=UnitRole.LEAD).values_list("agency__name", flat=True))
    assert leads == sorted(
        [
            "内蒙古自治区住房和城乡建设厅",
            "内蒙古自治区市场监督管理局",
            "内蒙古自治区文化和旅游厅",
            "内蒙古自治区应急管理厅",
            "内蒙古自治区发展和改革委员会",
        ]
    )


def test_collective_units_expand_to_the_direct_subordinate_units(client, demo_region, preview):
    confirm(client, skip_unmatched(preview_form(preview)))
    task = SupervisionTask.objects.get(number="一（三）")
    expected = set(demo_region.region.children.filter(is_active=True).values_list("pk", flat=True))
    assert set(task.units.values_list("agency_id", flat=True)) == expected
    governments = SupervisionTask.objects.get(number="三（二）")
    league_ids = set(demo_region.region.children.filter(kind="league").values_list("pk", flat=True))
    assert league_ids <= set(governments.units.values_list("agency_id", flat=True))


def test_deadlines_found_in_the_text_become_due_dates(client, preview):
    confirm(client, skip_unmatched(preview_form(preview)))
    assert SupervisionTask.objects.get(number="一（十四）").due_on == dt.date(2016, 12, 31)
    assert SupervisionTask.objects.get(number="一（一）").due_on == dt.date(2016, 12, 31)


def test_skipped_names_are_kept_in_the_task_notes(client, preview):
    confirm(client, skip_unmatched(preview_form(preview)))
    task = SupervisionTask.objects.get(number="一（六）")
    assert "自治区地税局" in task.source_notes
    assert sorted(u.agency.name for u in task.units.all()) == sorted(
        ["内蒙古自治区财政厅", "内蒙古自治区发展和改革委员会"]
    )


def test_a_name_matched_by_hand_becomes_a_unit(client, demo_region, preview):
    assert confirm(client, skip_unmatched(preview_form(preview))).status_code == 302
    task = SupervisionTask.objects.get(number="一（八）")
    assert list(task.units.values_list("agency__name", flat=True)) == ["内蒙古自治区农牧厅"]


def test_skipping_the_only_lead_unit_is_refused(client, preview):
    data = skip_unmatched(preview_form(preview))
    data.setlist(f"match-{POVERTY_OFFICE}", [""])
    data.setlist(f"skip-{POVERTY_OFFICE}", ["1"])
    response = confirm(client, data)
    assert response.status_code == 400
    assert "没有牵头单位" in response.content.decode()
    assert SupervisionTask.objects.count() == 0


def test_an_unknown_name_typed_by_hand_is_refused(client, preview):
    data = skip_unmatched(preview_form(preview))
    data.setlist(f"match-{POVERTY_OFFICE}", ["不存在的机构"])
    response = confirm(client, data)
    assert response.status_code == 400
    assert "找不到机构：不存在的机构" in response.content.decode()
    assert SupervisionTask.objects.count() == 0


def test_the_corrected_title_due_date_and_monthly_flag_are_used(client, preview):
    data = skip_unmatched(preview_form(preview))
    data.setlist("title-0", ["权力清单公开（修改后）"])
    data.setlist("due-0", ["2016-09-30"])
    data.setlist("monthly-0", ["1"])
    confirm(client, data)
    task = SupervisionTask.objects.get(number="一（一）")
    assert (task.title, task.due_on, task.monthly_reporting) == (
        "权力清单公开（修改后）",
        dt.date(2016, 9, 30),
        True,
    )


def test_unchecked_items_are_not_created(client, preview):
    data = skip_unmatched(preview_form(preview))
    data.setlist("include-0", [])
    confirm(client, data)
    assert not SupervisionTask.objects.filter(number="一（一）").exists()
    assert SupervisionTask.objects.count() == 22


def test_the_closing_paragraph_can_become_a_task(client, demo_region, preview):
    data = skip_unmatched(preview_form(preview))
    data.setlist("extra-0", ["1"])
    data.setlist("extra_leads-0", ["内蒙古自治区人民政府办公厅"])
    assert confirm(client, data).status_code == 302
    task = SupervisionTask.objects.get(number="补充1")
    assert task.due_on == dt.date(2016, 6, 15)


def test_each_created_task_is_audit_logged(client, preview):
    confirm(client, skip_unmatched(preview_form(preview)))
    assert AuditEntry.objects.filter(action="supervision.create").count() == 23


def test_confirming_the_same_document_again_creates_nothing_new(client, preview, work_points_text):
    assert confirm(client, skip_unmatched(preview_form(preview))).status_code == 302
    again = client.post(
        reverse("supervision_staff:import"),
        {
            "supervising_agency": preview.wsgi_request.POST["supervising_agency"],
            "text": work_points_text,
        },
    )
    html = again.content.decode()
    assert "本年度已有同编号任务" in html
    data = skip_unmatched(form_data(html, "preview-form"))
    response = confirm(client, data)
    assert response.status_code == 400
    assert SupervisionTask.objects.count() == 23


def test_a_docx_upload_is_read(client, demo_region, work_points_text):
    import docx

    document = docx.Document()
    for line in work_points_text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "要点.docx"
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:import"),
        {"supervising_agency": demo_region.region.pk, "document": upload},
    )
    assert response.status_code == 200
    assert "识别出 23 项编号事项" in response.content.decode()


def test_a_document_without_numbered_items_is_explained(client, demo_region):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:import"),
        {"supervising_agency": demo_region.region.pk, "text": "这是一段没有编号的文字。"},
    )
    assert response.status_code == 400
    assert "没有识别出任何编号事项" in response.content.decode()


def test_a_pdf_upload_is_refused_with_a_hint(client, demo_region):
    client.force_login(demo_region.supervisor)
    upload = io.BytesIO(b"%PDF-1.4 ...")
    upload.name = "要点.pdf"
    response = client.post(
        reverse("supervision_staff:import"),
        {"supervising_agency": demo_region.region.pk, "document": upload},
    )
    assert response.status_code == 400
    assert "只能上传 TXT 或 DOCX 文件" in response.content.decode()


def test_a_unit_officer_cannot_open_the_import_page(client, demo_region):
    client.force_login(demo_region.officer)
    assert client.get(reverse("supervision_staff:import")).status_code == 403


def test_units_of_the_league_are_created_under_the_league_supervisor(client, demo_region):
    client.force_login(demo_region.league_supervisor)
    text = "2026年工作要点\n一、任务\n（一）公开预算。（自治区财政厅牵头落实）\n"
    response = client.post(
        reverse("supervision_staff:import"),
        {"supervising_agency": demo_region.league.pk, "text": text},
    )
    html = response.content.decode()
    # The region's finance department is not in the league's subtree: listed, not matched.
    assert "<td>自治区财政厅</td>" in html
    assert TaskUnit.objects.count() == 0
