"""Forms of the supervision console. They only shape input; rules live in the service modules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import DomainError
from gongkai.supervision.models import (
    ActionKind,
    ComplaintCategory,
    ComplaintFinding,
    IndicatorRule,
    UnitRole,
)


class DomainErrorFormMixin:
    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, exc.message)  # type: ignore[attr-defined]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ImportForm(DomainErrorFormMixin, forms.Form):
    supervising_agency = AgencyChoiceField(label=_("督办机关"), queryset=None)
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("留空时从标题（如“2026年政务公开工作要点”）识别。"),
    )
    text = forms.CharField(
        label=_("工作要点全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("粘贴工作要点全文；也可以上传 TXT 或 DOCX 文件。"),
    )
    document = forms.FileField(label=_("或上传文件（TXT、DOCX）"), required=False)

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("document"):
            raise forms.ValidationError(_("请粘贴工作要点全文或上传文件。"))
        return data


class TaskForm(DomainErrorFormMixin, forms.Form):
    supervising_agency = AgencyChoiceField(label=_("督办机关"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("编号"), max_length=30)
    title = forms.CharField(label=_("任务名称"), max_length=300)
    text = forms.CharField(
        label=_("任务内容"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    issued_on = forms.DateField(label=_("下达日期"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    monthly_reporting = forms.BooleanField(label=_("牵头单位按月报告进展"), required=False)
    leads = forms.CharField(
        label=_("牵头单位"),
        help_text=_("机构全称，多个用顿号“、”分隔。"),
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )
    cooperating = forms.CharField(
        label=_("配合单位"),
        required=False,
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_agency"].queryset = agencies


class EditTaskForm(DomainErrorFormMixin, forms.Form):
    title = forms.CharField(label=_("任务名称"), max_length=300)
    due_on = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    monthly_reporting = forms.BooleanField(label=_("牵头单位按月报告进展"), required=False)


class AddUnitForm(DomainErrorFormMixin, forms.Form):
    agency = forms.CharField(
        label=_("单位"),
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("分工"), choices=UnitRole.choices)


class ProgressForm(DomainErrorFormMixin, forms.Form):
    period = forms.CharField(
        label=_("报告月份"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("格式 YYYY-MM。"),
    )
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 6}))
    # The template renders <input type="file" multiple>; the view reads request.FILES.getlist().
    attachments = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("每个不超过 20 MB，最多 5 个；PDF、OFD、Word、Excel、WPS、图片、TXT、ZIP。"),
    )


class ActionForm(DomainErrorFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("操作"), choices=ActionKind.choices)
    unit = forms.TypedChoiceField(label=_("针对单位"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("依据材料（销账时可附）"), required=False)

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部责任单位"))] + [
            (u.pk, u.agency.name) for u in units
        ]


class ComplaintForm(DomainErrorFormMixin, forms.Form):
    receiving_agency = AgencyChoiceField(label=_("受理机关"), queryset=None)
    unit = forms.CharField(
        label=_("被投诉单位"),
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )
    complainant = forms.CharField(label=_("投诉人"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=200)
    category = forms.ChoiceField(label=_("投诉事项"), choices=ComplaintCategory.choices)
    text = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(
        label=_("收到日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].queryset = agencies


class AssignForm(DomainErrorFormMixin, forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = candidates
        self.fields["assigned_to"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}（{u.username}）"
        )


class ReplyForm(DomainErrorFormMixin, forms.Form):
    finding = forms.ChoiceField(
        label=_("核查结论"), choices=[c for c in ComplaintFinding.choices if c[0]]
    )
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    replied_on = forms.DateField(
        label=_("答复日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class IndicatorForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=100)
    weight = forms.CharField(label=_("分值"), max_length=10)
    rule = forms.ChoiceField(label=_("评分规则"), choices=IndicatorRule.choices)
    per_item = forms.CharField(
        label=_("每项扣分"), max_length=10, initial="1", help_text=_("按件扣分的规则使用。")
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=9999, initial=0)
    description = forms.CharField(
        label=_("评分说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ManualScoreForm(DomainErrorFormMixin, forms.Form):
    score = forms.CharField(label=_("得分"), max_length=10)
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)
