from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.reports import formats


class SectionsForm(forms.Form):
    overview = forms.CharField(
        label=_("一、总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    problems = forms.CharField(
        label=_("五、存在的主要问题及改进情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    other = forms.CharField(
        label=_("六、其他需要报告的事项"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def typed_table2_form(year: int, initial: dict | None = None, data=None) -> forms.Form:
    """Typed cells of table 2 (figures from other systems; fees in 万元 with decimals)."""
    fields = {}
    for cell in formats.table2_cells(year):
        if not cell.typed:
            continue
        label = f"{cell.row}：{cell.column}"
        if cell.decimal:
            fields[cell.id] = forms.DecimalField(
                label=label, min_value=Decimal("0"), max_digits=14, decimal_places=6, required=False
            )
        else:
            fields[cell.id] = forms.IntegerField(label=label, min_value=0, required=False)
    form_class = type("TypedTable2Form", (forms.Form,), fields)
    return form_class(data=data, initial=initial or {})


def manual_table3_form(year: int, initial: dict | None = None, data=None) -> forms.Form:
    """The whole of table 3 typed in (在线填报), one integer field per cell."""
    fields = {}
    for row in formats.table3_rows(year):
        for column in formats.TABLE3_COLUMNS:
            fields[f"{row.id}__{column}"] = forms.IntegerField(min_value=0, required=False)
    form_class = type("ManualTable3Form", (forms.Form,), fields)
    return form_class(data=data, initial=initial or {})
