"""Personal API tokens: stored hashed, shown once, revoked at once, managed in the console."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from gongkai.apitokens import tokens
from gongkai.apitokens.models import ApiToken
from gongkai.core.errors import DomainError
from gongkai.site.models import AuditEntry
from gongkai.site.navigation import items_for


def test_a_token_is_stored_as_its_sha256_only(world):
    token, text = tokens.create_token(world.officer, "盟政务服务平台")
    assert re.fullmatch(r"gk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", text)
    assert token.hashed_secret == hashlib.sha256(text.encode()).hexdigest()
    assert text not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == text[3:11]
    assert token.expires_at is not None, "every token expires"


def test_authenticating_finds_the_user_and_records_the_use(world):
    token, text = tokens.create_token(world.officer, "对接")
    found = tokens.authenticate(text)
    assert found.user == world.officer
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_with_one_changed_character_is_refused(world):
    _token, text = tokens.create_token(world.officer, "对接")
    tampered = text[:-1] + ("A" if text[-1] != "A" else "B")
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(tampered)


@pytest.mark.parametrize("name", ["", "   ", "名" * 101])
def test_a_token_needs_a_sensible_name(world, name):
    with pytest.raises(DomainError) as caught:
        tokens.create_token(world.officer, name)
    assert caught.value.field == "name"


@pytest.mark.parametrize("days", [0, 366, "x"])
def test_a_token_lifetime_is_one_day_to_a_year(world, days):
    with pytest.raises(DomainError):
        tokens.create_token(world.officer, "对接", days)


def test_a_user_holds_at_most_twenty_active_tokens(world):
    for i in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.create_token(world.officer, f"令牌{i}")
    with pytest.raises(DomainError, match="吊销"):
        tokens.create_token(world.officer, "再来一个")


def test_creating_and_revoking_are_audited(world):
    token, _text = tokens.create_token(world.officer, "对接")
    tokens.revoke_token(token, world.officer)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["apitoken.create", "apitoken.revoke"]


# --- the console page ---------------------------------------------------------------------------


def test_the_console_menu_links_to_the_token_page(world):
    labels = {item["name"] for item in items_for(world.reviewer)}
    assert "apitokens:list" in labels


def test_the_token_page_is_for_staff_only(client, world):
    response = client.get(reverse("apitokens:list"))
    assert response.status_code == 302, "anonymous: to the login page"
    client.force_login(world.outsider)
    assert client.get(reverse("apitokens:list")).status_code == 403


def test_a_new_token_is_shown_once(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("apitokens:create"), {"name": "盟政务服务平台", "lifetime_days": "90"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    [text] = re.findall(r"gk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", html)
    assert "只显示这一次" in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert tokens.authenticate(text).user == world.officer
    listing = client.get(reverse("apitokens:list")).content.decode()
    assert text not in listing, "the list shows the prefix only"
    assert f"gk_{text[3:11]}_" in listing and "盟政务服务平台" in listing


def test_an_invalid_form_shows_the_error(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("apitokens:create"), {"name": "", "lifetime_days": "90"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_in_the_console_stops_the_token_at_once(client, api, world):
    token, text = tokens.create_token(world.officer, "对接")
    assert api.get("staff/me", token=text).status_code == 200
    client.force_login(world.officer)
    response = client.post(reverse("apitokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api.get("staff/me", token=text).json()["code"] == "token_revoked"
    assert "已吊销" in client.get(reverse("apitokens:list")).content.decode()


def test_another_users_token_cannot_be_revoked(client, world):
    token, _text = tokens.create_token(world.head, "对接")
    client.force_login(world.officer)
    assert client.post(reverse("apitokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
