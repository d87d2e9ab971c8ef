"""NUL characters in the query string are refused with 400 before a view can query with them."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_gets_the_chinese_400_page(client):
    response = client.get(reverse("applications:choose_agency"), {"q": "教育\x00局"})
    assert response.status_code == 400
    assert "无效的空字符" in response.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_too(client):
    response = client.get(reverse("publications:search") + "?q%00x=1")
    assert response.status_code == 400


def test_the_api_answers_a_json_400(client):
    response = client.get("/api/v1/agencies", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


def test_ordinary_queries_pass_through(client):
    response = client.get(reverse("applications:choose_agency"), {"q": "教育局"})
    assert response.status_code == 200
