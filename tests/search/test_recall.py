"""Recall: every document containing a query of two or more characters is found.

Checked against a plain Python substring scan over generated Chinese documents, for 2-, 3- and
4-character queries (2 characters take the scan path on SQLite, 3+ the FTS5 trigram path; on
PostgreSQL 3+ use the pg_trgm index), and as a hypothesis property on small random corpora
whose alphabet includes LIKE and FTS5 syntax characters.
"""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import search
from gongkai.search.types import IndexedDocument
from tests.search.corpus import (
    PLANTED,
    all_ids,
    generate,
    scan,
    scan_variants,
    simplified_pool,
    substrings,
)

CORPUS_SIZE = 300


@pytest.fixture
def corpus(db) -> list[IndexedDocument]:
    documents = generate(CORPUS_SIZE)
    assert search.reindex(documents) == CORPUS_SIZE
    return documents


def queries_of(documents: list[IndexedDocument], length: int) -> list[str]:
    present = substrings(documents, length, 40, seed=length)
    rng = random.Random(1000 + length)
    pool = simplified_pool()
    absent = ["".join(rng.choice(pool) for _ in range(length)) for _ in range(10)]
    planted = [p for p in PLANTED if len(p) == length]
    return present + absent + planted


def assert_recall(documents: list[IndexedDocument], text: str) -> None:
    found = all_ids(text)
    assert len(found) == len(set(found)), f"{text!r}: a document appears twice: {found}"
    expected = scan(documents, text)
    missing = expected - set(found)
    assert not missing, f"{text!r}: {len(missing)} containing documents not found: {missing}"
    extra = set(found) - scan_variants(documents, text)
    assert not extra, f"{text!r}: documents found that do not contain it: {extra}"


@pytest.mark.parametrize("length", [2, 3, 4])
def test_every_document_containing_the_query_is_found(corpus, length):
    queries = queries_of(corpus, length)
    assert len(queries) >= 40
    hits = 0
    for text in queries:
        assert_recall(corpus, text)
        hits += bool(scan(corpus, text))
    assert hits >= 40, "the generated queries should mostly occur in the corpus"


def test_planted_terms_are_found_in_every_document_that_has_them(corpus):
    for term in PLANTED:
        expected = scan(corpus, term)
        assert expected, f"the generator should plant {term!r} somewhere"
        assert set(all_ids(term)) == expected


def test_two_terms_find_the_documents_containing_both(corpus):
    first, second = substrings(corpus, 2, 2, seed=7)
    text = f"{first} {second}"
    assert set(all_ids(text)) == scan(corpus, text)


# --- property on small random corpora ---------------------------------------------------------

ALPHABET = "公开信息政府报告年度的%_\"*()'\\ab:-^"
field_text = st.text(alphabet=ALPHABET + " \n", max_size=30)
documents_strategy = st.lists(
    st.tuples(st.text(alphabet=ALPHABET, max_size=10), field_text, st.text(ALPHABET, max_size=6)),
    min_size=1,
    max_size=6,
)


@st.composite
def corpus_and_query(draw):
    rows = draw(documents_strategy)
    documents = [
        IndexedDocument(
            id=number,
            agency_id=1,
            agency_path="0001/",
            title=title,
            body_text=body,
            doc_number=doc_number,
        )
        for number, (title, body, doc_number) in enumerate(rows, start=1)
    ]
    terms = []
    for _ in range(draw(st.integers(1, 2))):
        if draw(st.booleans()):
            source = draw(st.sampled_from([d.title + " " + d.body_text for d in documents]))
            chunks = [c for c in source.split() if len(c) >= 2]
            if chunks:
                chunk = draw(st.sampled_from(chunks))
                length = draw(st.integers(2, min(4, len(chunk))))
                start = draw(st.integers(0, len(chunk) - length))
                terms.append(chunk[start : start + length])
                continue
        terms.append(draw(st.text(alphabet=ALPHABET, min_size=2, max_size=4)))
    return documents, " ".join(terms)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=corpus_and_query())
def test_recall_matches_a_substring_scan_on_random_corpora(db, case):
    documents, text = case
    with transaction.atomic():
        search.reindex(documents)
        assert_recall(documents, text)
        transaction.set_rollback(True)
