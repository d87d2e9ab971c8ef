"""The console form for a new personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.apitokens import tokens


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=_("用于识别令牌，例如对接的系统名称：“盟级政务服务平台对接”。"),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(days, _("%(n)d天") % {"n": days}) for days in tokens.LIFETIME_CHOICES],
        initial=tokens.DEFAULT_LIFETIME_DAYS,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
