"""Factories for the foundation models, and the small shared world used across apps."""

from __future__ import annotations

from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

PASSWORD = "gongkai-test-pass"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"A{n:05d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = AgencyKind.DEPARTMENT
    doc_prefix = factory.Sequence(lambda n: f"测{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER


def member(agency: Agency, role: Role, username: str | None = None):
    """A new user holding ``role`` in ``agency``."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def build_world() -> SimpleNamespace:
    region = AgencyFactory(
        code="150000",
        name="内蒙古自治区人民政府",
        short_name="自治区",
        kind=AgencyKind.REGION_GOVERNMENT,
        doc_prefix="内政",
    )
    region_dept = AgencyFactory(
        code="150000-jyt",
        name="内蒙古自治区教育厅",
        short_name="教育厅",
        parent=region,
        doc_prefix="内教",
    )
    league = AgencyFactory(
        code="152200",
        name="兴安盟行政公署",
        short_name="兴安盟",
        kind=AgencyKind.LEAGUE_GOVERNMENT,
        parent=region,
        doc_prefix="兴署",
    )
    sibling = AgencyFactory(
        code="152500",
        name="锡林郭勒盟行政公署",
        short_name="锡林郭勒盟",
        kind=AgencyKind.LEAGUE_GOVERNMENT,
        parent=region,
        doc_prefix="锡署",
    )
    league_dept = AgencyFactory(
        code="152200-jyj",
        name="兴安盟教育局",
        short_name="兴安盟教育局",
        parent=league,
        doc_prefix="兴教",
    )
    county = AgencyFactory(
        code="152201",
        name="乌兰浩特市人民政府",
        short_name="乌兰浩特市",
        kind=AgencyKind.COUNTY_GOVERNMENT,
        parent=league,
        doc_prefix="乌政",
    )
    users = {role: member(league, role, f"league_{role.value}") for role in Role}
    return SimpleNamespace(
        region=region,
        region_dept=region_dept,
        league=league,
        sibling=sibling,
        league_dept=league_dept,
        county=county,
        officer=users[Role.OFFICER],
        reviewer=users[Role.REVIEWER],
        head=users[Role.HEAD],
        supervisor=users[Role.SUPERVISOR],
        administrator=users[Role.ADMINISTRATOR],
        sibling_officer=member(sibling, Role.OFFICER, "sibling_officer"),
        county_officer=member(county, Role.OFFICER, "county_officer"),
        region_supervisor=member(region, Role.SUPERVISOR, "region_supervisor"),
        outsider=UserFactory(username="outsider"),
        password=PASSWORD,
    )
