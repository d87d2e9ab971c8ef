"""Error pages speak Chinese and keep the site's frame."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from gongkai.site.views import error_403, error_404, error_500

pytestmark = pytest.mark.django_db


def test_unknown_url_renders_the_chinese_404_page(client):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-CN">' in html
    assert "页面不存在" in html and "返回首页" in html


def test_forbidden_page_renders_in_chinese_with_the_reason(client, world):
    client.force_login(world.outsider)
    response = client.get("/console/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html
    assert "尚未分配任何机构岗位" in html


def test_403_without_a_reason_gives_a_generic_chinese_message(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = error_403(request, None)
    assert response.status_code == 403
    assert "您没有执行此操作的权限" in response.content.decode()


def test_404_handler_renders_without_a_resolver_match(db):
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = error_404(request, None)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_static_chinese_html():
    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器暂时无法处理您的请求" in response.content.decode()
