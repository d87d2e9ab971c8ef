"""Helpers for the working-day tests: the notice texts and a superuser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

NOTICES = Path(__file__).parent / "notices"


def notice(name: str) -> str:
    """The text of a stored notice: ``2025``, ``2026`` (official, items as quoted in
    legal-rules §7.2), ``2024``, ``2023``, ``2020`` (official), ``2027-sample`` (made up)."""
    return (NOTICES / f"{name}.txt").read_text(encoding="utf-8")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(first: str, last: str) -> list[dt.date]:
    start, end = d(first), d(last)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def calendar_signals():
    """Every ``calendar_changed`` sent during the test, as a list of ``years`` sets."""
    from gongkai.workdays.signals import calendar_changed

    received: list[set[int]] = []

    def receiver(sender, years, **kwargs):
        received.append(set(years))

    calendar_changed.connect(receiver, weak=False)
    yield received
    calendar_changed.disconnect(receiver)
