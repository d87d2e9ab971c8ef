"""The scoping helper as a table: role × own / sibling / parent / child agency.

The world: a region, two leagues (兴安盟 "own" and 锡林郭勒盟 "sibling"), and 乌兰浩特市 ("child")
under 兴安盟. Each user below holds one role in 兴安盟, or none.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import agencies_for, roles_in, scope
from gongkai.site import audit
from gongkai.site.models import AuditEntry

pytestmark = pytest.mark.django_db

RELATIONS = ("own", "sibling", "parent", "child")
TARGET = {"own": "league", "sibling": "sibling", "parent": "region", "child": "county"}

#: May the user see the agency at all (any role)?  own, sibling, parent, child
VISIBLE = {
    "officer": (True, False, False, False),
    "reviewer": (True, False, False, False),
    "head": (True, False, False, False),
    "supervisor": (True, False, False, True),
    "administrator": (True, False, False, True),
    "anonymous": (False, False, False, False),
    "no membership": (False, False, False, False),
}

ROWS = [(who, rel, VISIBLE[who][i]) for who in VISIBLE for i, rel in enumerate(RELATIONS)]


def user_for(world, who: str):
    if who == "anonymous":
        return AnonymousUser()
    if who == "no membership":
        return world.outsider
    return getattr(world, who)


def target_for(world, relation: str) -> Agency:
    return getattr(world, TARGET[relation])


@pytest.mark.parametrize(("who", "relation", "visible"), ROWS)
def test_agencies_for(world, who, relation, visible):
    target = target_for(world, relation)
    found = agencies_for(user_for(world, who)).filter(pk=target.pk).exists()
    assert found is visible, f"{who} {'should' if visible else 'should not'} see {relation}"


@pytest.mark.parametrize(("who", "relation", "visible"), ROWS)
def test_scope(world, who, relation, visible):
    target = target_for(world, relation)
    entry = audit.record(None, "test.scoped", target, agency=target)
    found = scope(AuditEntry.objects.all(), user_for(world, who)).filter(pk=entry.pk).exists()
    assert found is visible, f"{who}: a record of the {relation} agency, in scope={found}"


@pytest.mark.parametrize(("who", "relation", "visible"), ROWS)
def test_roles_in(world, who, relation, visible):
    roles = roles_in(user_for(world, who), target_for(world, relation))
    expected = {Role(who)} if visible else set()
    assert roles == expected, f"{who} in the {relation} agency"


@pytest.mark.parametrize("relation", RELATIONS)
def test_superuser_sees_every_agency_with_every_role(world, relation):
    world.outsider.is_superuser = True
    world.outsider.save()
    target = target_for(world, relation)
    assert agencies_for(world.outsider).filter(pk=target.pk).exists()
    assert roles_in(world.outsider, target) == set(Role)


def test_asking_for_a_role_the_user_lacks_gives_nothing(world):
    assert not agencies_for(world.supervisor, [Role.HEAD]).exists()
    assert set(agencies_for(world.head, [Role.HEAD])) == {world.league}


def test_inactive_users_see_nothing(world):
    world.administrator.is_active = False
    world.administrator.save()
    assert not agencies_for(world.administrator).exists()
    assert roles_in(world.administrator, world.league) == set()


def test_region_supervisor_sees_the_whole_region(world):
    visible = set(agencies_for(world.region_supervisor))
    assert visible == set(Agency.objects.all())


def test_agencies_for_is_one_query_per_call_plus_the_membership_lookup(
    world, django_assert_num_queries
):
    with django_assert_num_queries(2):
        list(agencies_for(world.supervisor))
