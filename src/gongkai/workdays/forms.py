"""The form of the admin screen 「载入节假日安排通知」."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeForm(forms.Form):
    """Paste the notice; the year and the source are optional (taken from the notice)."""

    notice_text = forms.CharField(
        label=_("通知全文"),
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text=_(
            "粘贴国务院办公厅关于某年部分节假日安排的通知全文（含标题）。只识别通知的规范表述，"
            "无法识别的文字会被指出，不会猜测。"
        ),
        max_length=20000,
    )
    year = forms.IntegerField(
        label=_("年份"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("留空时取通知标题中的年份。"),
    )
    source = forms.CharField(
        label=_("依据"),
        required=False,
        max_length=200,
        help_text=_("留空时为通知标题和文号。"),
    )
