"""Fuzzing the request clock's input: event logs as they come out of a JSON column or a file.

``compute`` and ``check_next`` take events whose type is a plain string and whose data holds
whatever JSON was stored; ``gongkai clock explain`` reads a JSON document. Malformed input of any
shape gives a :class:`ClockError` / :class:`CalendarYearMissing` (both DomainError) or, for the
command, a ``CommandError`` with a Chinese message — never another exception.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.clock import ClockEvent, EventType, check_next, compute
from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import national_calendar
from tests.fuzz.strategies import FUZZ, any_text, json_values

CAL = national_calendar()
START = dt.date(2025, 1, 1)

DATA_KEYS = ["deadline", "party", "party_received_on", "ref", "workdays", "approved_by",
             "approved_on", "due_on", "received_on", "amount", "method", "outcome", "party_name"]  # fmt: skip
VALUES = st.one_of(
    json_values,
    st.sampled_from(
        [
            "third_party",
            "agency",
            "post",
            "direct",
            "electronic",
            "disclosed",
            "per_page",
            "other_fee_unpaid",
            "other_correction_overdue",
            "0",
            "21",
            "NaN",
            "Infinity",
            "1e400",
            "-0",
            "12.345",
            "2026-02-29",
            "2025-13-01",
        ]
    ),
    st.dates(dt.date(2024, 6, 1), dt.date(2028, 1, 1)),
    st.integers(-30, 40),
)
event_types = st.one_of(st.sampled_from([t.value for t in EventType]), st.text(max_size=12))


@st.composite
def events(draw):
    result = []
    day = START + dt.timedelta(days=draw(st.integers(0, 500)))
    for _i in range(draw(st.integers(0, 8))):
        day += dt.timedelta(days=draw(st.integers(0, 30)))
        data = draw(st.dictionaries(st.sampled_from(DATA_KEYS), VALUES, max_size=4))
        on = draw(st.one_of(st.just(day), st.just(day.isoformat()), VALUES))
        result.append(ClockEvent(draw(event_types), on, data))
    return result


@FUZZ
@given(st.dates(dt.date(2024, 6, 1), dt.date(2027, 6, 1)), events(), st.none() | st.dates())
def test_any_event_log_gives_a_result_or_a_refusal(received_on, log, today):
    try:
        result = compute(received_on, log, CAL, today=today)
    except DomainError as exc:
        assert exc.message
        return
    json.dumps(result.as_json(), ensure_ascii=False)  # the CLI/API shape serialises


@FUZZ
@given(st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 1)), events(), events())
def test_checking_a_next_event_gives_nothing_or_a_refusal(received_on, log, more):
    for event in more[:1]:
        try:
            check_next(received_on, log, event, CAL)
        except DomainError as exc:
            assert exc.message


documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"received_on": VALUES.map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)},
        optional={
            "events": st.one_of(
                json_values,
                st.lists(
                    st.dictionaries(
                        st.sampled_from(["type", "on", *DATA_KEYS]),
                        st.one_of(
                            json_values,
                            st.sampled_from([t.value for t in EventType]),
                            st.dates(dt.date(2025, 1, 1), dt.date(2027, 3, 1)).map(str),
                        ),
                        max_size=5,
                    ),
                    max_size=5,
                ),
            ),
            "today": st.one_of(json_values, st.dates().map(str)),
        },
    ),
)


@FUZZ
@given(st.one_of(documents.map(lambda d: json.dumps(d, allow_nan=True)), any_text))
def test_clock_explain_reads_any_file_without_crashing(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("clock") / "events.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        call_command("clock", "explain", str(path), "--national", stdout=_Sink())
    except CommandError as exc:
        assert str(exc)


class _Sink:
    def write(self, text: str) -> None:
        json.loads(text)  # the output is JSON

    def flush(self) -> None:  # pragma: no cover - BaseCommand may flush
        pass


@pytest.mark.django_db
def test_a_stored_event_with_broken_data_is_a_clock_error_on_the_request(world):
    """How events are loaded: the JSON column of Event goes through the same parsing."""
    from gongkai.applications import services
    from gongkai.applications.models import Event
    from tests.applications.conftest import make_request

    app = make_request(world.league)
    Event.objects.create(
        application=app, type="extension_granted", on=dt.date(2026, 3, 5), data={"workdays": []}
    )
    services.refresh_clock(app)
    app.refresh_from_db()
    assert app.clock_error, "broken event data must be recorded as the clock's error"
