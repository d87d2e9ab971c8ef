"""Property tests of the request clock on random histories (hypothesis).

Histories are built step by step from random candidate events: a candidate that ``check_next``
accepts is appended, one it refuses is kept aside to check that ``compute`` refuses the same
history. Dates stay between 2025-01-01 and autumn 2026 so every deadline falls in a year the
national calendar covers (a ``CalendarYearMissing`` would be a legitimate refusal, not a crash).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.clock import ClockError, ClockEvent, EventType, check_next, compute
from gongkai.applications.outcomes import Outcome
from gongkai.workdays.calendar import national_calendar

CAL = national_calendar()
DAY = dt.timedelta(days=1)

PAUSE_TYPES = {
    EventType.CONSULTATION_OPENED,
    EventType.CONSULTATION_CLOSED,
    EventType.FEE_NOTICE_ISSUED,
    EventType.FEE_PAID,
}

# Ending steps are rarer, so that histories get long enough to be interesting.
KINDS = [
    EventType.CORRECTION_REQUESTED,
    EventType.CORRECTION_REQUESTED,
    EventType.CORRECTION_RECEIVED,
    EventType.CORRECTION_RECEIVED,
    EventType.CONSULTATION_OPENED,
    EventType.CONSULTATION_OPENED,
    EventType.CONSULTATION_OPENED,
    EventType.CONSULTATION_CLOSED,
    EventType.CONSULTATION_CLOSED,
    EventType.CONSULTATION_CLOSED,
    EventType.CONSULTATION_CLOSED,
    EventType.EXTENSION_GRANTED,
    EventType.EXTENSION_GRANTED,
    EventType.ART35_DEADLINE,
    EventType.FEE_NOTICE_ISSUED,
    EventType.FEE_NOTICE_ISSUED,
    EventType.FEE_PAID,
    EventType.FEE_PAID,
    EventType.FEE_PAID,
    EventType.REPLY_ISSUED,
    EventType.DELIVERED,
    EventType.WITHDRAWN,
    EventType.CLOSED,
]


def _maybe_date(draw, on: dt.date, most: int) -> dt.date | None:
    if draw(st.booleans()):
        return on + draw(st.integers(0, most)) * DAY
    return None


def _data(draw, kind: EventType, on: dt.date) -> dict:
    if kind is EventType.CORRECTION_REQUESTED:
        return {"deadline": on + draw(st.integers(0, 20)) * DAY}
    if kind is EventType.CONSULTATION_OPENED:
        data = {"party": draw(st.sampled_from(["third_party", "agency", "nobody"]))}
        received = _maybe_date(draw, on, 5)
        if received is not None:
            data["party_received_on"] = received
        ref = draw(st.sampled_from([None, "A", "B"]))
        if ref:
            data["ref"] = ref
        return data
    if kind is EventType.CONSULTATION_CLOSED:
        ref = draw(st.sampled_from([None, None, "A", "B"]))
        return {"ref": ref} if ref else {}
    if kind is EventType.EXTENSION_GRANTED:
        return {"workdays": draw(st.integers(0, 21))}
    if kind is EventType.ART35_DEADLINE:
        return {"due_on": on + draw(st.integers(0, 60)) * DAY}
    if kind is EventType.FEE_NOTICE_ISSUED:
        data = {"amount": draw(st.integers(1, 5000))}
        received = _maybe_date(draw, on, 5)
        if received is not None:
            data["received_on"] = received
        return data
    if kind is EventType.REPLY_ISSUED:
        outcome = draw(st.sampled_from([None, *(o.value for o in Outcome)]))
        return {"outcome": outcome} if outcome else {}
    if kind is EventType.DELIVERED:
        return {"method": draw(st.sampled_from(["direct", "post", "electronic", "pigeon"]))}
    if kind is EventType.CLOSED:
        return {
            "outcome": draw(
                st.sampled_from(["other_correction_overdue", "other_fee_unpaid", "disclosed"])
            )
        }
    return {}


@st.composite
def histories(draw):
    """(received_on, legal events, refused (prefix, candidate) pairs, today)."""
    received = draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 3, 31)))
    events: list[ClockEvent] = []
    refused: list[tuple[list[ClockEvent], ClockEvent]] = []
    on = received
    for _ in range(draw(st.integers(2, 16))):
        on = on + draw(st.integers(0, 8)) * DAY
        kind = draw(st.sampled_from(KINDS))
        candidate = ClockEvent(kind, on, _data(draw, kind, on))
        try:
            check_next(received, events, candidate, CAL)
        except ClockError:
            refused.append((list(events), candidate))
            continue
        events.append(candidate)
    today = on + draw(st.integers(0, 30)) * DAY
    return received, events, refused, today


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _due(received, events, today):
    """The due date, or None when the history is refused or no reply period runs."""
    try:
        return compute(received, events, CAL, today=today).due_on
    except ClockError:
        return None


@PROPERTY
@given(histories())
def test_compute_accepts_every_history_check_next_accepted(history):
    received, events, _refused, today = history
    result = compute(received, events, CAL, today=today)
    assert result.status is not None
    assert result.explanation and all(isinstance(s, str) for s in result.explanation)


@PROPERTY
@given(histories())
def test_compute_refuses_every_history_check_next_refused(history):
    received, _events, refused, today = history
    for prefix, candidate in refused:
        with pytest.raises(ClockError):
            compute(received, [*prefix, candidate], CAL, today=today)


@PROPERTY
@given(histories())
def test_the_due_date_is_always_a_working_day(history):
    received, events, _refused, today = history
    result = compute(received, events, CAL, today=today)
    if result.due_on is not None:
        assert CAL.is_workday(result.due_on), f"{result.due_on} is a rest day"
        assert result.due_on > received


@PROPERTY
@given(histories())
def test_pauses_never_make_the_due_date_earlier(history):
    received, events, _refused, today = history
    with_pauses = compute(received, events, CAL, today=today).due_on
    without = _due(received, [e for e in events if e.type not in PAUSE_TYPES], today)
    if with_pauses is not None and without is not None:
        assert with_pauses >= without


@PROPERTY
@given(histories())
def test_extensions_never_make_the_due_date_earlier(history):
    received, events, _refused, today = history
    with_extensions = compute(received, events, CAL, today=today).due_on
    without = _due(
        received, [e for e in events if e.type is not EventType.EXTENSION_GRANTED], today
    )
    if with_extensions is not None and without is not None:
        assert with_extensions >= without


@PROPERTY
@given(histories(), st.integers(1, 40))
def test_a_running_pause_only_moves_the_due_date_later_as_days_pass(history, later):
    received, events, _refused, today = history
    earlier_due = compute(received, events, CAL, today=today).due_on
    later_due = compute(received, events, CAL, today=today + later * DAY).due_on
    if earlier_due is not None:
        assert later_due is not None and later_due >= earlier_due


@PROPERTY
@given(
    st.dates(dt.date(2025, 1, 1), dt.date(2026, 3, 31)),
    st.integers(0, 25),
    st.integers(0, 20),
    st.sampled_from(["third_party", "agency"]),
)
def test_a_closed_consultation_adds_exactly_its_paused_working_days(received, sent, length, party):
    # Pausing after the sending day until the opinion day skips the working days in between.
    base = compute(received, [], CAL, today=received).due_on
    opened_on = received + sent * DAY
    closed_on = opened_on + length * DAY
    events = [
        ClockEvent("consultation_opened", opened_on, {"party": party}),
        ClockEvent("consultation_closed", closed_on, {}),
    ]
    due = compute(received, events, CAL, today=closed_on).due_on
    if opened_on > base:
        assert due == base, "a consultation after the deadline changes nothing"
    elif opened_on == base:
        assert due >= closed_on
    else:
        assert due == CAL.add_workdays(base, CAL.workdays_between(opened_on, closed_on))
