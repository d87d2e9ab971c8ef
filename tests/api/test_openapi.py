"""The schema at /api/v1/openapi.json and the interactive docs at /api/v1/docs (offline)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.fixture
def schema(client, db) -> dict:
    return client.get("/api/v1/openapi.json").json()


def test_the_openapi_schema_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/requests" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_every_operation_documents_its_errors_with_the_error_schema(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for status in ("400", "404", "413", "429"):
                assert status in responses, f"{method} {path} does not document {status}"
                ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), f"{method} {path} {status}: {ref}"
            if operation.get("security"):
                assert "401" in responses and "403" in responses


def test_list_operations_page_with_limit_offset_and_total(schema):
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if not operation:
            continue
        content = operation["responses"]["200"].get("content", {}).get("application/json", {})
        ref = content.get("schema", {}).get("$ref", "")
        if ref.endswith("Page"):
            names = {p["name"] for p in operation.get("parameters", [])}
            assert {"limit", "offset"} <= names, path
            page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert set(page["properties"]) == {"items", "total", "limit", "offset"}


def test_request_bodies_refuse_unknown_fields(schema):
    components = schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody")
            if not body:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"]
            model = components[ref.rsplit("/", 1)[1]]
            assert model.get("additionalProperties") is False, f"{method} {path}"


def test_the_docs_page_loads_nothing_from_the_internet(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == [], f"the docs page must work offline: {external}"
    assert '"validatorUrl": null' in html, "no call to the online validator"
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(asset), f"{asset} is served from our own static files"


def test_the_schema_json_has_no_duplicate_keys(client, db):
    """Swagger UI refuses a schema with a key twice (e.g. responses ``200`` and ``"200"``)."""
    duplicates: list[str] = []

    def pairs(items):
        keys = [key for key, _value in items]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert duplicates == []


def test_submitting_works_without_a_csrf_token(db, world):
    from tests.api.helpers import submission

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/requests", json.dumps(submission("152200")), content_type="application/json"
    )
    assert response.status_code == 201, response.content
