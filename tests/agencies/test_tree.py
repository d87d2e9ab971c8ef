"""The agency tree as a materialised path: subtree queries, moves, ancestors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import PATH_SEGMENT_WIDTH, Agency, AgencyKind
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def expected_path(agency: Agency) -> str:
    prefix = expected_path(agency.parent) if agency.parent_id else ""
    return f"{prefix}{agency.pk:0{PATH_SEGMENT_WIDTH}d}/"


def assert_tree_consistent() -> None:
    for agency in Agency.objects.select_related("parent"):
        path = expected_path(agency)
        assert agency.path == path, f"{agency.code}: path {agency.path!r}, expected {path!r}"
        assert agency.depth == path.count("/") - 1, f"{agency.code}: depth {agency.depth}"


def test_a_new_agency_path_is_its_parents_path_plus_its_own_id(world):
    assert world.county.path == f"{world.league.path}{world.county.pk:07d}/"
    assert (world.region.depth, world.league.depth, world.county.depth) == (0, 1, 2)


def test_subtree_is_a_single_query(world, django_assert_num_queries):
    township = AgencyFactory(parent=world.county, kind=AgencyKind.TOWNSHIP_GOVERNMENT)
    with django_assert_num_queries(1):
        codes = set(Agency.objects.subtree_of(world.league).values_list("code", flat=True))
    assert codes == {world.league.code, world.league_dept.code, world.county.code, township.code}


def test_subtree_does_not_include_siblings_or_ancestors(world):
    subtree = Agency.objects.subtree_of(world.league)
    assert world.sibling not in subtree
    assert world.region not in subtree


def test_ancestors_are_listed_from_the_root_down_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [a.code for a in world.county.ancestors()]
    assert names == [world.region.code, world.league.code]


def test_moving_an_agency_moves_its_subtrees_paths_and_depth(world):
    township = AgencyFactory(parent=world.county, kind=AgencyKind.TOWNSHIP_GOVERNMENT)
    office = AgencyFactory(parent=township)
    world.county.parent = world.sibling
    world.county.save()
    township.refresh_from_db()
    office.refresh_from_db()
    assert township.path.startswith(world.sibling.path + f"{world.county.pk:07d}/")
    assert office.path == f"{township.path}{office.pk:07d}/"
    assert (township.depth, office.depth) == (3, 4)
    assert set(Agency.objects.subtree_of(world.sibling)) >= {world.county, township, office}
    assert township not in Agency.objects.subtree_of(world.league)


def test_moving_an_agency_up_a_level_reduces_its_subtrees_depth(world):
    township = AgencyFactory(parent=world.county, kind=AgencyKind.TOWNSHIP_GOVERNMENT)
    world.county.parent = world.region
    world.county.save()
    township.refresh_from_db()
    assert (world.county.depth, township.depth) == (1, 2)
    assert_tree_consistent()


def test_an_agency_cannot_be_moved_under_its_own_descendant(world):
    world.league.parent = world.county
    with pytest.raises(ValidationError) as excinfo:
        world.league.full_clean()
    assert "上级机构不能是本机构或其下级机构" in str(excinfo.value)


def test_the_region_government_cannot_have_a_parent(world):
    world.region.parent = AgencyFactory(kind=AgencyKind.OTHER)
    with pytest.raises(ValidationError, match="不能有上级机构"):
        world.region.full_clean()


def test_government_of_a_department_is_its_parent_government(world):
    assert world.league_dept.government == world.league
    assert world.league.government == world.league


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(
        st.tuples(st.sampled_from(["add", "move"]), st.integers(0, 99), st.integers(0, 99)),
        min_size=1,
        max_size=12,
    )
)
def test_paths_stay_consistent_through_any_sequence_of_additions_and_moves(db, operations):
    with transaction.atomic():
        nodes = [AgencyFactory(kind=AgencyKind.REGION_GOVERNMENT)]
        for op, a, b in operations:
            if op == "add":
                nodes.append(AgencyFactory(parent=nodes[a % len(nodes)]))
                continue
            node = nodes[a % len(nodes)]
            node.refresh_from_db()
            target = nodes[b % len(nodes)]
            target.refresh_from_db()
            if node.parent_id is None or target.path.startswith(node.path):
                continue  # the root stays; no move under oneself
            node.parent = target
            node.save()
        assert_tree_consistent()
        transaction.set_rollback(True)
