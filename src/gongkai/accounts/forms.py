from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import throttle
from gongkai.core.http import client_address


class LoginForm(AuthenticationForm):
    """The password step, refused without checking the password while the username or the
    client address is over its failure limit (:mod:`gongkai.accounts.throttle`)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        address = client_address(self.request) if self.request else ""
        if username and password:
            try:
                throttle.check_login(username, address)
            except throttle.TooManyAttempts as exc:
                raise ValidationError(exc.message, code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            if username and password:
                throttle.login_failed(username, address)
            raise
        throttle.login_succeeded(username)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
