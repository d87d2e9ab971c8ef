"""Letters are stored under MEDIA_ROOT: each test gets its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def league(world):
    """The league government with a phone, an address and office hours."""
    agency = world.league
    agency.address = "兴安盟乌兰浩特市兴安北大路1号"
    agency.phone = "0482-8226001"
    agency.office_hours = "工作日9:00—17:00"
    agency.office_name = "兴安盟行政公署办公室"
    agency.save()
    return agency


@pytest.fixture
def dept_officer(world):
    """An officer (公开专员) of the league's education bureau."""
    from gongkai.agencies.models import Role
    from tests.factories import member

    return member(world.league_dept, Role.OFFICER, "dept_officer")
