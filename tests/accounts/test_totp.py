"""Two-factor login with TOTP: enrolment, the code step after the password, replay, throttling,
recovery codes and disabling."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from gongkai.accounts import totp
from gongkai.accounts.models import RecoveryCode, TotpDevice
from gongkai.accounts.throttle import TooManyAttempts
from gongkai.accounts.views import SESSION_KEY
from gongkai.site.audit import entries_for

pytestmark = pytest.mark.django_db

T0 = 1_780_000_000.0  # a fixed instant for service-level tests (a multiple of 30 s plus 10 s)
MANAGE = "/console/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def code_at(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def enrol(user, at: float) -> tuple[str, list[str]]:
    """Enrol ``user`` through the services, the first code taken at ``at``."""
    device = totp.start_enrolment(user)
    codes = totp.confirm_enrolment(user, code_at(device.secret, at), at=at)
    return device.secret, codes


def enrol_before_now(user) -> tuple[str, list[str]]:
    """Enrolled two steps ago, so the code of the current step has not been used yet."""
    return enrol(user, time.time() - 60)


def password_step(client, user, password: str, next_url: str = ""):
    data = {"username": user.username, "password": password}
    url = reverse("site:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- enrolment ----------------------------------------------------------------------------------


def test_the_console_page_offers_to_start(client, world):
    client.force_login(world.officer)
    html = client.get(MANAGE).content.decode()
    assert "状态：未启用" in html and "开始设置" in html


def test_starting_shows_an_otpauth_uri_and_a_local_svg_qr_code(client, world):
    client.force_login(world.officer)
    client.post(MANAGE, {"action": "start"})
    html = client.get(MANAGE).content.decode()
    device = TotpDevice.objects.get(user=world.officer)
    assert not device.is_active, "a device is inactive until a first code is verified"
    assert "otpauth://totp/" in html and f"secret={device.secret}" in html
    assert re.search(r"<svg[^>]*class=\"segno\"", html), "the QR code is inline SVG"
    assert "https://" not in html.split("<main", 1)[1].split("</main>")[0], "no external QR"


def test_a_wrong_first_code_does_not_activate(client, world):
    client.force_login(world.officer)
    client.post(MANAGE, {"action": "start"})
    response = client.post(MANAGE, {"action": "confirm", "code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert totp.active_device(world.officer) is None


def test_the_right_first_code_activates_and_shows_ten_recovery_codes_once(client, world):
    client.force_login(world.officer)
    client.post(MANAGE, {"action": "start"})
    secret = TotpDevice.objects.get(user=world.officer).secret
    response = client.post(MANAGE, {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    html = response.content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", html)
    assert len(codes) == 10, html
    assert totp.active_device(world.officer) is not None
    after = client.get(MANAGE).content.decode()
    assert secret not in after and codes[0] not in after, "secret and codes are shown only once"
    assert "状态：已启用" in after
    assert entries_for(world.officer).filter(action="user.2fa_enable").exists()


def test_the_secret_and_recovery_codes_are_not_stored_in_clear(world):
    secret, codes = enrol(world.officer, T0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice")
        (stored,) = cursor.fetchone()
    assert secret not in stored, "the TOTP secret is encrypted at rest"
    hashes = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(code in hashes or code.replace("-", "") in hashes for code in codes)


def test_enrolling_again_while_active_is_refused(world):
    enrol(world.officer, T0)
    with pytest.raises(Exception, match="已经启用"):
        totp.start_enrolment(world.officer)


# --- login --------------------------------------------------------------------------------------


def test_without_a_device_the_password_logs_in(client, world):
    response = password_step(client, world.officer, world.password)
    assert response.status_code == 302 and response["Location"] == reverse("site:console")
    assert logged_in(client)


def test_with_a_device_the_password_leads_to_the_code_step_only(client, world):
    enrol_before_now(world.officer)
    response = password_step(client, world.officer, world.password)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not logged_in(client), "the password alone must not log in"


@pytest.mark.parametrize(
    "path", ["/console/", "/console/tokens/", "/console/two-factor/", "/console/requests/"]
)
def test_a_half_logged_in_session_reaches_no_staff_page(client, world, path):
    enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    response = client.get(path)
    assert response.status_code == 302, f"{path} answered {response.status_code}"
    assert response["Location"].startswith(reverse("site:login"))


def test_a_half_logged_in_session_cannot_open_the_admin(client, world):
    world.officer.is_staff = True
    world.officer.save()
    enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    assert client.get("/admin/").status_code == 302


def test_the_right_code_logs_in_and_goes_to_next(client, world):
    secret, _codes = enrol_before_now(world.officer)
    password_step(client, world.officer, world.password, next_url="/console/tokens/")
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/console/tokens/"
    assert logged_in(client)
    assert SESSION_KEY not in client.session


def test_a_wrong_code_does_not_log_in(client, world):
    enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    response = client.post(VERIFY, {"code": "123456"})
    assert "验证码不正确" in response.content.decode()
    assert not logged_in(client)


def test_the_code_step_needs_the_password_step_first(client, world):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == reverse("site:login")


def test_the_code_step_expires(client, world):
    secret, _codes = enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "at": time.time() - 301}
    session.save()
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and not logged_in(client)


def test_the_same_code_cannot_be_used_twice(client, world):
    secret, _codes = enrol_before_now(world.officer)
    code = pyotp.TOTP(secret).now()
    password_step(client, world.officer, world.password)
    client.post(VERIFY, {"code": code})
    assert logged_in(client)
    client.logout()
    password_step(client, world.officer, world.password)
    response = client.post(VERIFY, {"code": code})
    assert not logged_in(client), "a replayed code must be refused within its window"
    assert "已使用过" in response.content.decode()


def test_a_code_is_never_accepted_twice_even_within_the_drift_window(world):
    secret, _codes = enrol(world.officer, T0 - 90)
    code = code_at(secret, T0)
    totp.verify_login(world.officer, code, at=T0)
    with pytest.raises(totp.InvalidCode):
        totp.verify_login(world.officer, code, at=T0 + 5)
    with pytest.raises(totp.InvalidCode, match="已使用过"):
        totp.verify_login(world.officer, code_at(secret, T0 - 30), at=T0 + 5)


def test_one_step_of_clock_drift_is_accepted_two_are_not(world):
    secret, _codes = enrol(world.officer, T0 - 300)
    with pytest.raises(totp.InvalidCode):
        totp.verify_login(world.officer, code_at(secret, T0 - 60), at=T0)
    totp.verify_login(world.officer, code_at(secret, T0 - 30), at=T0)


def test_five_wrong_codes_then_even_the_right_one_is_refused(client, world):
    secret, _codes = enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    for _ in range(5):
        client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert not logged_in(client)
    assert "失败次数过多" in response.content.decode()


def test_code_throttling_applies_to_the_service_too(world):
    enrol(world.officer, T0 - 300)
    for _ in range(5):
        with pytest.raises(totp.InvalidCode):
            totp.verify_login(world.officer, "000000", at=T0)
    with pytest.raises(TooManyAttempts):
        totp.verify_login(world.officer, "000000", at=T0)


# --- recovery codes and disabling -------------------------------------------------------------


def test_a_recovery_code_logs_in_once(client, world):
    _secret, codes = enrol_before_now(world.officer)
    password_step(client, world.officer, world.password)
    client.post(VERIFY, {"code": codes[0].upper()})
    assert logged_in(client), "a recovery code (any case) replaces the code once"
    client.logout()
    password_step(client, world.officer, world.password)
    client.post(VERIFY, {"code": codes[0]})
    assert not logged_in(client), "a used recovery code is refused"
    assert entries_for(world.officer).filter(action="user.2fa_recovery_code").count() == 1


def test_disabling_needs_a_current_code(client, world):
    secret, _codes = enrol_before_now(world.officer)
    client.force_login(world.officer)
    response = client.post(MANAGE, {"action": "disable", "code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert totp.active_device(world.officer) is not None
    client.post(MANAGE, {"action": "disable", "code": pyotp.TOTP(secret).now()})
    assert totp.active_device(world.officer) is None
    assert not RecoveryCode.objects.filter(user=world.officer).exists()
    assert entries_for(world.officer).filter(action="user.2fa_disable").exists()


def test_after_disabling_the_password_logs_in_again(client, world):
    secret, _codes = enrol(world.officer, T0)
    totp.disable(world.officer, code_at(secret, T0 + 30), at=T0 + 30)
    password_step(client, world.officer, world.password)
    assert logged_in(client)
