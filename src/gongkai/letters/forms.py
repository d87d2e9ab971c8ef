"""Forms of the letters console: the editable parts of a letter, templates, settings, void."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.letters.kinds import KindSpec
from gongkai.letters.models import LetterSettings
from gongkai.letters.templating import MAX_BODY_LENGTH, MAX_TITLE_LENGTH


class LetterFieldsForm(forms.Form):
    """The free-text parts of one letter kind (requiredness is checked when issuing, so the
    preview can show what is still missing)."""

    def __init__(self, spec: KindSpec, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        for fld in spec.fields:
            if fld.choices:
                self.fields[fld.name] = forms.ChoiceField(
                    label=fld.label, choices=fld.choices, required=False, help_text=fld.help
                )
            else:
                widget = forms.Textarea(attrs={"rows": 3}) if fld.multiline else forms.TextInput
                self.fields[fld.name] = forms.CharField(
                    label=("＊" if fld.required else "") + fld.label,
                    required=False,
                    max_length=fld.max_length,
                    widget=widget,
                    help_text=fld.help,
                    strip=False,
                )


class IssueOptionsForm(forms.Form):
    void_replaced = forms.BooleanField(label=_("同时作废原文书"), required=False)
    void_reason = forms.CharField(label=_("作废原文书的原因"), required=False, max_length=300)


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=MAX_TITLE_LENGTH)
    body = forms.CharField(
        label=_("正文模板"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "false"}),
        strip=False,
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = [
            "receipt_code",
            "notice_code",
            "consultation_code",
            "reply_code",
            "letterhead",
            "letterhead_name",
            "signature_name",
            "review_body",
            "superior_department",
        ]


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=300)
