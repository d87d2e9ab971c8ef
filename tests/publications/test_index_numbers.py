"""索引号: configurable pattern, serial per agency per year, atomic allocation, never changed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from gongkai.core.errors import DomainError
from gongkai.publications import index_numbers, services
from gongkai.publications.models import DEFAULT_INDEX_PATTERN, Document, PublicationSettings
from tests.publications.factories import draft, published


def allocate(agency, day):
    with transaction.atomic():
        return index_numbers.allocate(agency, day)


def test_the_national_default_is_org_code_slash_year_dash_five_digit_serial(world):
    world.league.org_code = "011234567"
    world.league.save()
    assert allocate(world.league, dt.date(2026, 3, 2)) == "011234567/2026-00001"
    assert allocate(world.league, dt.date(2026, 3, 2)) == "011234567/2026-00002"


def test_the_default_is_twenty_characters_long(world):
    world.league.org_code = "011234567"
    world.league.save()
    assert len(allocate(world.league, dt.date(2026, 1, 5))) == 20


def test_the_org_code_comes_from_the_credit_code_when_not_set(world):
    world.league.credit_code = "11152200011234567X"
    world.league.save()
    assert allocate(world.league, dt.date(2026, 1, 5)).startswith("011234567/")


def test_without_any_code_the_agency_code_is_used(world):
    assert allocate(world.league, dt.date(2026, 1, 5)) == "152200/2026-00001"


def test_the_serial_restarts_every_year_and_is_per_agency(world):
    assert allocate(world.league, dt.date(2025, 12, 31)).endswith("2025-00001")
    assert allocate(world.league, dt.date(2026, 1, 5)).endswith("2026-00001")
    assert allocate(world.league, dt.date(2026, 1, 6)).endswith("2026-00002")
    assert allocate(world.county, dt.date(2026, 1, 6)).endswith("2026-00001")


def test_an_agency_pattern_replaces_the_default(world):
    PublicationSettings.objects.create(
        agency=world.league, index_pattern="{credit_code}/{year}{month}-{serial:05d}"
    )
    world.league.credit_code = "11152200011234567X"
    world.league.save()
    assert allocate(world.league, dt.date(2021, 10, 8)) == "11152200011234567X/202110-00001"


def test_a_subtree_pattern_applies_to_subordinate_agencies_without_their_own(world):
    PublicationSettings.objects.create(
        agency=world.region,
        index_pattern="NM-{agency_code}-{year}-{serial:04d}",
        applies_to_subtree=True,
    )
    assert index_numbers.pattern_for(world.county) == "NM-{agency_code}-{year}-{serial:04d}"
    PublicationSettings.objects.create(agency=world.league, index_pattern=DEFAULT_INDEX_PATTERN)
    assert index_numbers.pattern_for(world.league) == DEFAULT_INDEX_PATTERN
    assert allocate(world.county, dt.date(2026, 2, 2)) == "NM-152201-2026-0001"


def test_a_pattern_not_applying_to_the_subtree_stays_with_its_agency(world):
    PublicationSettings.objects.create(
        agency=world.region, index_pattern="R{agency_code}/{year}/{serial}"
    )
    assert index_numbers.pattern_for(world.county) == DEFAULT_INDEX_PATTERN


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("{org_code}/{year}", "{serial}"),
        ("{org_code}-{serial}", "{year}"),
        ("{year}-{serial:05d}", "{agency_code}"),
        ("{org_code}/{year}-{serial:05d}-{bogus}", "{bogus}"),
        ("{org_code}/{year}-{serial:05d", "格式不正确"),
        ("{org_code}/{year}-{serial:zz}", "无法生成"),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(pattern, why):
    with pytest.raises(DomainError) as caught:
        index_numbers.validate_pattern(pattern)
    assert why in caught.value.message


def test_a_number_already_taken_by_an_imported_document_is_skipped(world):
    existing = published(world)
    assert existing.index_number == "152200/2026-00001"
    Document.objects.filter(pk=existing.pk).update(index_number="152200/2026-00002")
    # The counter says 1; the next candidate 00002 is taken, so 00003 is issued.
    assert allocate(world.league, dt.date(2026, 3, 1)) == "152200/2026-00003"


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_a_programming_error():
    from tests.factories import build_world

    world = build_world()
    with pytest.raises(RuntimeError):
        index_numbers.allocate(world.league, dt.date(2026, 1, 5))


def test_the_index_number_never_changes_after_revision_or_pattern_change(world):
    document = published(world)
    number = document.index_number
    PublicationSettings.objects.create(
        agency=world.league, index_pattern="X{agency_code}-{year}-{serial}"
    )
    data = services.DocumentInput.from_document(document)
    data.title = "修订后的标题"
    revised = services.revise(world.reviewer, document, data, "更正标题")
    assert revised.index_number == number
    document.refresh_from_db()
    assert document.index_number == number


def _in_threads(count, work):
    results, errors = [], []
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_never_issue_the_same_number():
    from tests.factories import build_world

    world = build_world()
    results, errors = _in_threads(8, lambda i: allocate(world.league, dt.date(2026, 6, 1)))
    assert not errors, errors
    assert sorted(results) == [f"152200/2026-{n:05d}" for n in range(1, 9)]


@pytest.mark.django_db(transaction=True)
def test_parallel_publications_get_distinct_consecutive_numbers():
    from tests.factories import build_world

    world = build_world()
    documents = []
    for i in range(6):
        document = draft(world.officer, world.league, title=f"并发发布测试文件{i}")
        services.submit(world.officer, document)
        services.record_review(world.reviewer, document, "passed", "不涉密")
        documents.append(document)
    results, errors = _in_threads(
        6, lambda i: services.publish(world.reviewer, documents[i]).index_number
    )
    assert not errors, errors
    assert len(set(results)) == 6
    numbers = sorted(Document.objects.values_list("index_number", flat=True))
    assert numbers == [f"152200/2026-{n:05d}" for n in range(1, 7)]
