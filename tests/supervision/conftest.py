"""Fixtures of the supervision tests: demo-like agencies (the real region, its departments and
leagues, as ``gongkai demo`` creates them) and small helpers to build tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.supervision.factories import build_demo_region

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
WORK_POINTS = SHARED / "reference" / "work-points-2016.txt"


@pytest.fixture
def work_points_text() -> str:
    return WORK_POINTS.read_text(encoding="utf-8")


@pytest.fixture
def demo_region(db):
    """See :func:`tests.supervision.factories.build_demo_region`."""
    return build_demo_region()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
