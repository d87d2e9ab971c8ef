"""Table 3 from requests handled through the real services, every cell worked out by hand."""

import datetime as dt

import pytest

from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.core.dates import override_today
from gongkai.core.identity import credit_code_check_char, resident_id_check_char
from gongkai.reports import checks, statistics

D = dt.date


def applicant(kind: str, n: int) -> dict:
    if kind == "natural_person":
        first17 = f"15220119800101{n:03d}"
        ident = {"id_type": "resident_id", "id_number": first17 + resident_id_check_char(first17)}
    else:
        first17 = f"91152200MA0T{n:05d}"
        ident = {
            "id_type": "credit_code",
            "id_number": first17 + credit_code_check_char(first17),
            "contact_person": "王经办",
        }
    return {
        "applicant_type": kind,
        "applicant_name": f"申请人{n}",
        **ident,
        "phone": "04828266000",
        "email": "",
        "address": "乌兰浩特市",
        "postcode": "137400",
        "description": "请公开相关政府信息。",
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
    }


def register(world, kind, n, on):
    with override_today(on):
        return services.register_application(
            world.league,
            applicant=applicant(kind, n),
            channel="in_person",
            arrived_on=on,
            actor=world.officer,
        )


def at(day, fn, *args, **kwargs):
    with override_today(day):
        return fn(*args, **kwargs)


@pytest.fixture
def handled(world):
    officer = world.officer
    # A: received 2025-12-22, corrected in January (the clock restarts), disclosed 2026-01-20.
    a = register(world, "natural_person", 1, D(2025, 12, 22))
    at(
        D(2025, 12, 24),
        services.request_correction,
        a,
        on=D(2025, 12, 24),
        deadline=D(2026, 1, 9),
        items="请写明文件名称。",
        actor=officer,
    )
    at(D(2026, 1, 5), services.record_correction, a, on=D(2026, 1, 5), actor=officer)
    at(
        D(2026, 1, 20),
        services.reply,
        a,
        outcome="disclosed",
        on=D(2026, 1, 20),
        actor=officer,
        data={"how_to_obtain": "邮寄送达。"},
    )
    # B: received 2026-03-02, withdrawn 2026-03-05 (其他处理-3).
    b = register(world, "commercial", 2, D(2026, 3, 2))
    at(D(2026, 3, 5), services.record_withdrawal, b, on=D(2026, 3, 5), actor=officer)
    # C: received 2026-04-01, fee notice unpaid (其他处理-2).
    c = register(world, "research", 3, D(2026, 4, 1))
    at(
        D(2026, 4, 10),
        services.issue_fee_notice,
        c,
        method="per_page",
        pages=150,
        on=D(2026, 4, 8),
        received_on=D(2026, 4, 10),
        actor=officer,
    )
    services.close_expired(c, D(2026, 6, 30))
    # D: received 2026-05-06, correction never made (其他处理-1).
    d = register(world, "natural_person", 4, D(2026, 5, 6))
    at(
        D(2026, 5, 7),
        services.request_correction,
        d,
        on=D(2026, 5, 7),
        deadline=D(2026, 5, 15),
        items="请说明所需信息的范围。",
        actor=officer,
    )
    services.close_expired(d, D(2026, 5, 20))
    # E: received 2026-12-30, still open at the year end.
    register(world, "natural_person", 5, D(2026, 12, 30))
    return world


def test_each_cell_matches_the_hand_worked_figures(handled):
    grid = statistics.table3(Agency.objects.filter(pk=handled.league.pk), 2026)
    expected = {
        ("new", "natural_person"): 2,
        ("new", "commercial"): 1,
        ("new", "research"): 1,
        ("new", "total"): 4,
        ("carried_over", "natural_person"): 1,
        ("carried_over", "total"): 1,
        ("disclosed", "natural_person"): 1,
        ("disclosed", "total"): 1,
        ("other", "commercial"): 1,
        ("other", "total"): 1,
        ("other_fee_unpaid", "research"): 1,
        ("other_fee_unpaid", "total"): 1,
        ("other_correction_overdue", "natural_person"): 1,
        ("other_correction_overdue", "total"): 1,
        ("results_total", "natural_person"): 2,
        ("results_total", "commercial"): 1,
        ("results_total", "research"): 1,
        ("results_total", "total"): 4,
        ("carried_forward", "natural_person"): 1,
        ("carried_forward", "total"): 1,
    }
    for row, cells in grid.items():
        for column, value in cells.items():
            assert value == expected.get((row, column), 0), f"{row}/{column}"
    assert checks.errors(checks.check_table3(grid, 2026)) == []


def test_the_previous_year_carries_the_corrected_request_forward(handled):
    grid = statistics.table3(Agency.objects.filter(pk=handled.league.pk), 2025)
    assert grid["new"]["total"] == 1 and grid["carried_forward"]["total"] == 1
    assert grid["results_total"]["total"] == 0
