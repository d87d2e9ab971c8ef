"""Builders for search tests: ``make_doc`` indexes a document with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from gongkai import search
from gongkai.search.types import IndexedDocument

_ids = itertools.count(10_000)
BASE = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def build_doc(**overrides) -> IndexedDocument:
    values = {
        "id": next(_ids),
        "agency_id": 1,
        "agency_path": "0001/",
        "title": "无关标题",
        "body_text": "无关正文",
        "published_at": BASE,
    }
    values.update(overrides)
    return IndexedDocument(**values)


@pytest.fixture
def make_doc(db):
    """Index a document built from keyword overrides and return it."""

    def make(**overrides) -> IndexedDocument:
        record = build_doc(**overrides)
        search.index(record)
        return record

    return make
