"""Table 2 counts (规章 / 规范性文件 made, abolished, in force) and the demo catalogue."""

from __future__ import annotations

import datetime as dt
import io

from gongkai.agencies.models import Agency
from gongkai.publications import services
from gongkai.publications.models import Document, Interpretation, NormativeKind, Validity
from gongkai.publications.statistics import normative_counts
from tests.publications.factories import column


def imported(world, title, kind, published_on, *, written_on=None, number=1, agency=None):
    agency = agency or world.league
    data = services.DocumentInput(
        column=column(agency),
        title=title,
        body_html="<p>正文</p>",
        doc_number=f"兴署发〔{published_on.year}〕{number}号",
        normative_kind=kind,
        written_on=written_on,
    )
    return services.import_published(
        None, agency, data, published_on=published_on, external_key=title, review_note="测试"
    )


def test_normative_counts_made_abolished_and_in_force(world):
    old = imported(world, "旧办法", NormativeKind.NORMATIVE, dt.date(2024, 5, 6), number=1)
    imported(world, "新办法", NormativeKind.NORMATIVE, dt.date(2025, 3, 3), number=2)
    imported(
        world,
        "规章一",
        NormativeKind.RULE,
        dt.date(2025, 1, 6),
        written_on=dt.date(2024, 12, 30),
        number=3,
    )
    imported(world, "普通通知", NormativeKind.NONE, dt.date(2025, 4, 1), number=4)
    Document.objects.filter(pk=old.pk).update(
        validity=Validity.ABOLISHED, invalid_on=dt.date(2025, 3, 3)
    )
    agencies = Agency.objects.filter(pk=world.league.pk)
    counts_2025 = normative_counts(agencies, 2025)
    assert (
        counts_2025["normative_made"],
        counts_2025["normative_abolished"],
        counts_2025["normative_in_force"],
    ) == (1, 1, 1)
    # The rule was made (成文) in 2024 and published in 2025.
    assert (
        counts_2025["rules_made"],
        counts_2025["rules_published"],
        counts_2025["rules_in_force"],
    ) == (0, 1, 1)
    counts_2024 = normative_counts(agencies, 2024)
    assert (
        counts_2024["normative_made"],
        counts_2024["normative_in_force"],
        counts_2024["rules_made"],
    ) == (1, 1, 1)
    # Roll forward: in force 2025 = in force 2024 + made 2025 − abolished 2025.
    assert counts_2025["normative_in_force"] == (
        counts_2024["normative_in_force"]
        + counts_2025["normative_made"]
        - counts_2025["normative_abolished"]
    )


def test_withdrawn_and_other_agencies_documents_are_not_counted(world):
    document = imported(world, "撤回的办法", NormativeKind.NORMATIVE, dt.date(2025, 3, 3))
    services.withdraw(world.reviewer, document, "误发")
    imported(world, "锡盟办法", NormativeKind.NORMATIVE, dt.date(2025, 3, 3), agency=world.sibling)
    assert normative_counts(Agency.objects.filter(pk=world.league.pk), 2025)["normative_made"] == 0


def test_the_reports_app_reads_these_counts(world):
    from gongkai.reports.compute import _normative_counts

    imported(world, "办法", NormativeKind.NORMATIVE, dt.date(2025, 3, 3))
    assert _normative_counts(Agency.objects.filter(pk=world.league.pk), 2025)["normative_made"] == 1


def test_the_demo_catalogue_is_created_once(world):
    from gongkai.publications import demo

    out = io.StringIO()
    demo.load(out)
    count = Document.objects.count()
    assert count > 20 and "新建演示文件" in out.getvalue()
    assert Document.objects.published().count() == count
    assert Document.objects.filter(validity=Validity.ABOLISHED, abolished_by__isnull=False).exists()
    assert Interpretation.objects.exists()
    assert Document.objects.exclude(mongolian_title="").filter(agency=world.region).exists()
    years = set(Document.objects.values_list("published_on__year", flat=True))
    assert years == {2023, 2024, 2025, 2026}
    assert len(set(Document.objects.values_list("index_number", flat=True))) == count
    demo.load(io.StringIO())
    assert Document.objects.count() == count, "loading again creates nothing"


def test_querysets_chain_published_normative_and_in_force(world):
    old = imported(world, "旧办法", NormativeKind.NORMATIVE, dt.date(2024, 5, 6), number=1)
    imported(world, "通知", NormativeKind.NONE, dt.date(2024, 6, 3), number=2)
    Document.objects.filter(pk=old.pk).update(
        validity=Validity.ABOLISHED, invalid_on=dt.date(2025, 3, 3)
    )
    normative = Document.objects.published().normative()
    assert list(normative.in_force(dt.date(2025, 3, 2))) == [old]
    assert list(normative.in_force(dt.date(2025, 3, 3))) == []
    assert list(normative.in_force(dt.date(2024, 5, 5))) == [], "not yet published"
    assert Document.objects.in_force(dt.date(2024, 12, 31)).count() == 2
    assert list(Document.objects.normative(NormativeKind.RULE)) == []
    assert Document.objects.in_agency_subtree(world.region).count() == 2
    assert Document.objects.published_in_year(2024).count() == 2
