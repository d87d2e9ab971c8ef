"""Report renderers by format name. Each takes the report's JSON form and returns bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Renderer = Callable[[dict[str, Any]], bytes]


def render_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _lazy(module: str) -> Renderer:
    def render(data: dict[str, Any]) -> bytes:
        from importlib import import_module

        texts = data.get("sections") or {}
        return import_module(f"gongkai.reports.renderers.{module}").render(data, texts)

    return render


RENDERERS: dict[str, Renderer] = {
    "json": render_json,
    "xlsx": _lazy("xlsx"),
    "docx": _lazy("docx"),
    "pdf": _lazy("pdf"),
}
