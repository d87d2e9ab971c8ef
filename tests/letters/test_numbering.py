"""发文字号: format (GB/T 9704 7.2.5), one counter per agency/year/series, atomic allocation,
voided numbers never reused, nothing consumed when issuing fails."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections, transaction
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.models import EventType
from gongkai.applications.outcomes import Outcome
from gongkai.letters import fonts, numbering, services
from gongkai.letters.kinds import StepMissing
from gongkai.letters.models import Letter, LetterCounter, Series
from gongkai.letters.numbering import NUMBER_RE, format_number
from tests.letters.factories import add_event, make_application, reply


@given(
    code=st.text(alphabet="兴署依申复教公开内政", min_size=1, max_size=8),
    year=st.integers(min_value=2000, max_value=2099),
    serial=st.integers(min_value=1, max_value=10**6),
)
def test_numbers_use_hexagonal_brackets_a_full_year_and_no_leading_zeros(code, year, serial):
    number = format_number(code, year, serial)
    assert number == f"{code}\u3014{year}\u3015{serial}号"
    assert "第" not in number.removeprefix(code)
    match = NUMBER_RE.match(number)
    assert match and int(match["serial"]) == serial and match["serial"][0] != "0"


def test_the_example_number_reads_as_the_standard_shows_it():
    assert format_number("兴署依申复", 2026, 7) == "兴署依申复〔2026〕7号"


@pytest.mark.parametrize("serial, year", [(0, 2026), (1, 26)])
def test_impossible_numbers_are_refused(serial, year):
    with pytest.raises(ValueError):
        format_number("兴署", year, serial)


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_a_programming_error(world):
    with pytest.raises(RuntimeError):
        numbering.allocate(world.league, Series.REPLY, 2026)


@pytest.mark.django_db
def test_each_agency_year_and_series_has_its_own_counter(world):
    with transaction.atomic():
        first = [numbering.allocate(world.league, Series.REPLY, 2026) for _i in range(3)]
        other_series = numbering.allocate(world.league, Series.NOTICE, 2026)
        other_year = numbering.allocate(world.league, Series.REPLY, 2027)
        other_agency = numbering.allocate(world.county, Series.REPLY, 2026)
    assert first == [1, 2, 3]
    assert (other_series, other_year, other_agency) == (1, 1, 1)


@pytest.fixture
def application(world, league):
    return make_application(league)


def counter(agency, series=Series.REPLY, year=2026) -> int:
    row = LetterCounter.objects.filter(agency=agency, series=series, year=year).first()
    return row.last_number if row else 0


def issue_reply(application, officer, outcome=Outcome.DISCLOSED, **inputs) -> Letter:
    event = reply(application, outcome)
    return services.issue(application, event, f"reply_{outcome}", inputs=inputs, actor=officer)


@pytest.mark.django_db
def test_issued_letters_are_numbered_1_2_3_in_their_series(world, application):
    numbers = [issue_reply(application, world.officer).number for _i in range(3)]
    assert numbers == ["兴署依申复〔2026〕1号", "兴署依申复〔2026〕2号", "兴署依申复〔2026〕3号"]


@pytest.mark.django_db
def test_a_voided_number_stays_recorded_and_is_never_reused(world, application):
    issue_reply(application, world.officer)
    second = issue_reply(application, world.officer)
    services.void(second, actor=world.officer, reason="主送写错")
    third = issue_reply(application, world.officer)
    assert third.serial == 3
    second.refresh_from_db()
    assert second.is_void and second.number == "兴署依申复〔2026〕2号"
    assert second.void_reason == "主送写错"


@pytest.mark.django_db
def test_numbers_continue_above_the_highest_on_record_even_if_a_counter_is_lost(world, application):
    issue_reply(application, world.officer)
    issue_reply(application, world.officer)
    LetterCounter.objects.all().delete()
    assert issue_reply(application, world.officer).serial == 3


@pytest.mark.django_db
def test_a_letter_for_a_step_that_did_not_happen_consumes_no_number(world, application):
    receipt_event = application.events.get(type=EventType.RECEIPT_CONFIRMED)
    with pytest.raises(StepMissing):
        services.issue(
            application, receipt_event, "correction_notice", inputs={}, actor=world.officer
        )
    assert counter(world.league, Series.NOTICE) == 0
    assert not Letter.objects.exists()
    event = add_event(
        application, EventType.CORRECTION_REQUESTED, dt.date(2026, 3, 4), deadline="2026-03-16"
    )
    letter = services.issue(
        application,
        event,
        "correction_notice",
        inputs={"correction.items": "请写明文号"},
        actor=world.officer,
    )
    assert letter.number == "兴署依申告〔2026〕1号"


@pytest.mark.django_db
def test_an_incomplete_letter_consumes_no_number(world, application):
    event = reply(application, Outcome.WITHHELD_STATE_SECRET, reason="")
    with pytest.raises(services.DomainError):
        services.issue(
            application, event, "reply_withheld_state_secret", inputs={}, actor=world.officer
        )
    assert counter(world.league) == 0


@pytest.mark.django_db
def test_a_renderer_crash_consumes_no_number_and_leaves_no_file(
    world, application, monkeypatch, _media_root
):
    def crash(*args, **kwargs):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(services, "render_pdf", crash)
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(services.LetterRenderError) as caught:
        services.issue(application, event, "reply_disclosed", inputs={}, actor=world.officer)
    assert "编号未占用" in caught.value.message
    assert counter(world.league) == 0
    assert not Letter.objects.exists()
    assert not any(p.is_file() for p in _media_root.rglob("*")) if _media_root.exists() else True


@pytest.mark.django_db
def test_a_failure_after_the_files_are_written_deletes_them(
    world, application, monkeypatch, _media_root
):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services.audit, "record", broken_audit)
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(RuntimeError):
        services.issue(application, event, "reply_disclosed", inputs={}, actor=world.officer)
    assert counter(world.league) == 0
    assert not [p for p in _media_root.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_missing_font_consumes_no_number(world, application, monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"DejaVu Sans"}))
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(fonts.FontMissing):
        services.issue(application, event, "reply_disclosed", inputs={}, actor=world.officer)
    assert counter(world.league) == 0


@pytest.mark.django_db
def test_an_agency_without_a_doc_prefix_cannot_number_letters(world):
    world.league_dept.doc_prefix = ""
    world.league_dept.save()
    from gongkai.agencies.models import Role
    from tests.factories import member

    officer = member(world.league_dept, Role.OFFICER)
    application = make_application(world.league_dept)
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(services.DomainError) as caught:
        services.issue(application, event, "reply_disclosed", inputs={}, actor=officer)
    assert "发文代字" in caught.value.message


@pytest.mark.django_db
def test_the_agency_may_set_its_own_code_per_series(world, application):
    from gongkai.letters.models import LetterSettings

    LetterSettings.objects.create(agency=world.league, reply_code="兴署公开复")
    assert issue_reply(application, world.officer).number == "兴署公开复〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_parallel_issuers_get_exactly_the_numbers_1_to_n(world, league):
    """Real transactions in parallel threads (SQLite: BEGIN IMMEDIATE; PostgreSQL: row lock)."""
    n = 6
    applications = [make_application(league) for _i in range(n)]
    events = [reply(a, Outcome.DISCLOSED) for a in applications]
    start = threading.Barrier(n)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def issue(application, event) -> None:
        try:
            start.wait(timeout=30)
            letter = services.issue(
                application, event, "reply_disclosed", inputs={}, actor=world.officer
            )
            numbers.append(letter.serial)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=issue, args=(a, e))
        for a, e in zip(applications, events, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, n + 1))
    stored = sorted(Letter.objects.values_list("serial", flat=True))
    assert stored == list(range(1, n + 1))
    assert counter(league) == n


@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_never_collide(world):
    n = 16
    start = threading.Barrier(n)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def allocate() -> None:
        try:
            start.wait(timeout=30)
            with transaction.atomic():
                numbers.append(numbering.allocate(world.league, Series.NOTICE, 2026))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, n + 1))
