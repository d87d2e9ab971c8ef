"""Letter numbers (发文字号): ``{发文代字}〔{YYYY}〕{n}号`` (GB/T 9704—2012 7.2.5).

The year is written in full inside six-sided brackets 〔 〕 (U+3014, U+3015), the serial number
in Arabic numerals without leading zeros and without 「第」. There is one counter per agency, per
year and per series (:class:`~gongkai.letters.models.Series`).

Allocation happens inside the issuing transaction: the counter row is created if missing
(``INSERT … ON CONFLICT DO NOTHING``), then locked with ``SELECT … FOR UPDATE`` and incremented.
On PostgreSQL the row lock serialises issuers of the same series; on SQLite the settings open
every transaction with ``BEGIN IMMEDIATE``, which serialises all writers. If anything later in
the transaction fails, the increment is rolled back with it, so no number is consumed. A voided
letter keeps its number: numbers are never reused, and the next number is also never below the
highest serial on record.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max

from gongkai.letters.models import Letter, LetterCounter

NUMBER_RE = re.compile(r"^(?P<code>.+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")


def format_number(code: str, year: int, serial: int) -> str:
    """``兴署依申复〔2026〕7号``."""
    if serial < 1:
        raise ValueError("serial numbers start at 1")
    if not 1000 <= year <= 9999:
        raise ValueError("the year is written in full (four digits)")
    return f"{code}〔{year}〕{serial}号"


def allocate(agency, series: str, year: int) -> int:
    """The next serial number of ``series`` for ``agency`` in ``year``.

    Must run inside ``transaction.atomic()``: the number is only consumed if that transaction
    commits.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the issuing transaction")
    LetterCounter.objects.bulk_create(
        [LetterCounter(agency=agency, series=series, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = LetterCounter.objects.select_for_update().get(agency=agency, series=series, year=year)
    highest = (
        Letter.objects.filter(agency=agency, series=series, year=year).aggregate(m=Max("serial"))[
            "m"
        ]
        or 0
    )
    counter.last_number = max(counter.last_number, highest) + 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
