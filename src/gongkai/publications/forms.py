"""Console forms. They only collect input; the rules live in :mod:`services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.errors import DomainError
from gongkai.publications import services
from gongkai.publications.models import (
    SUBJECT_SUGGESTIONS,
    Category,
    Column,
    Document,
    DocumentStatus,
    NormativeKind,
    PublicationSettings,
    ReviewDecision,
    Validity,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DomainErrorFormMixin:
    """``form.add_domain_error(exc)``: put a rule's message on its field (or the whole form)."""

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, exc.message)  # type: ignore[attr-defined]


class ColumnChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Column) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


class DocumentForm(DomainErrorFormMixin, forms.Form):
    column = ColumnChoiceField(label=_("栏目"), queryset=Column.objects.none())
    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(
        label=_("发文字号"),
        max_length=60,
        required=False,
        help_text=_("例如：内政办发〔2026〕7号（年份用六角括号〔〕）。"),
    )
    subject = forms.CharField(
        label=_("主题分类"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"list": "subject-suggestions"}),
    )
    category = forms.ModelChoiceField(
        label=_("信息类别"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        help_text=_("条例第二十条主动公开事项或基层政务公开标准目录领域。"),
    )
    written_on = forms.DateField(label=_("成文日期"), required=False, widget=DATE)
    formed_or_changed_on = forms.DateField(
        label=_("信息形成或变更日期"),
        widget=DATE,
        help_text=_("条例第二十六条：自该日起20个工作日内公开。"),
    )
    deadline_basis = forms.CharField(
        label=_("另行规定的公开期限依据"),
        max_length=200,
        required=False,
        help_text=_("仅当法律、法规对公开期限另有规定时填写。"),
    )
    effective_on = forms.DateField(label=_("施行日期"), required=False, widget=DATE)
    normative_kind = forms.ChoiceField(
        label=_("规章或规范性文件"), choices=NormativeKind.choices, required=False
    )
    needs_interpretation = forms.BooleanField(
        label=_("需要政策解读"),
        required=False,
        help_text=_("规章和规范性文件一律需要解读（三同步）。"),
    )
    summary = forms.CharField(
        label=_("内容概述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body_html = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("可粘贴 HTML；脚本、样式和不安全的链接会被自动清除。"),
    )
    mongolian_title = forms.CharField(label=_("蒙古文标题"), max_length=500, required=False)
    mongolian_body = forms.CharField(
        label=_("蒙古文正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "mn-Mong"}),
    )
    validity = forms.ChoiceField(
        label=_("有效性"), choices=Validity.choices, initial=Validity.IN_FORCE
    )
    invalid_on = forms.DateField(label=_("废止或失效日期"), required=False, widget=DATE)
    abolished_by_text = forms.CharField(
        label=_("废止文件（名称及文号）"), max_length=300, required=False
    )

    def __init__(self, *args: Any, agency: Agency, include_validity: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["column"].queryset = Column.objects.filter(
            agency=agency, is_active=True
        ).order_by("order", "id")
        if not include_validity:
            for name in ("validity", "invalid_on", "abolished_by_text"):
                del self.fields[name]

    @classmethod
    def initial_from(cls, document: Document) -> dict[str, Any]:
        data = {name: getattr(document, name) for name in services.EDITABLE_FIELDS}
        data.update(
            validity=document.validity,
            invalid_on=document.invalid_on,
            abolished_by_text=document.abolished_by_text,
        )
        return data

    def to_input(self) -> services.DocumentInput:
        data = self.cleaned_data
        values = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        values["normative_kind"] = values["normative_kind"] or ""
        values["needs_interpretation"] = bool(values["needs_interpretation"])
        for name in ("summary", "body_html", "doc_number", "subject", "deadline_basis"):
            values[name] = values[name] or ""
        for name in ("mongolian_title", "mongolian_body"):
            values[name] = values[name] or ""
        if "validity" in self.fields:
            values["validity"] = data.get("validity") or Validity.IN_FORCE
            values["invalid_on"] = data.get("invalid_on")
            values["abolished_by_text"] = data.get("abolished_by_text") or ""
        return services.DocumentInput(**values)

    subject_suggestions = SUBJECT_SUGGESTIONS


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), help_text=_("单个文件不超过 50 MB。"))


class ReviewForm(DomainErrorFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审查结论"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        initial=ReviewDecision.PASSED,
    )
    reviewed_on = forms.DateField(label=_("审查日期"), widget=DATE)
    note = forms.CharField(
        label=_("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("是否涉及国家秘密、商业秘密、个人隐私，是否可能危及“三安全一稳定”等。"),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks are the service's (check_file)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class ReviseForm(DocumentForm):
    reason = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}))
    review_note = forms.CharField(
        label=_("保密审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("提交即表示您已对修订后的内容完成保密审查。"),
    )
    new_files = MultipleFileField(
        label=_("新增附件"),
        required=False,
        widget=MultipleFileInput(),
        help_text=_("可多选；单个文件不超过 50 MB。"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["include_validity"] = False
        super().__init__(*args, **kwargs)


class ValidityForm(DomainErrorFormMixin, forms.Form):
    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=[
            (Validity.ABOLISHED, Validity.ABOLISHED.label),
            (Validity.EXPIRED, Validity.EXPIRED.label),
        ],
        widget=forms.RadioSelect,
    )
    invalid_on = forms.DateField(label=_("废止或失效日期"), widget=DATE)
    abolished_by = forms.ModelChoiceField(
        label=_("废止文件（本平台已发布的文件）"),
        queryset=Document.objects.none(),
        required=False,
    )
    abolished_by_text = forms.CharField(
        label=_("或填写废止文件名称及文号"), max_length=300, required=False
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["abolished_by"].queryset = (
            Document.objects.published()
            .filter(agency__path__startswith=(document.agency.government or document.agency).path)
            .exclude(pk=document.pk)
            .order_by("-published_on")
        )


class WithdrawForm(DomainErrorFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 3}))


class InterpretationForm(DomainErrorFormMixin, forms.Form):
    interpretation = forms.ModelChoiceField(label=_("解读文件"), queryset=Document.objects.none())

    def __init__(self, *args: Any, document: Document, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["interpretation"].queryset = (
            candidates.exclude(pk=document.pk)
            .exclude(status=DocumentStatus.WITHDRAWN)
            .select_related("agency")
            .order_by("-updated_at")
        )
        self.fields["interpretation"].label_from_instance = lambda d: (
            f"{d.title}（{d.get_status_display()}）"
        )


class SettingsForm(DomainErrorFormMixin, forms.ModelForm):
    class Meta:
        model = PublicationSettings
        fields = ["index_pattern", "applies_to_subtree"]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("标题或文号"), required=False)
    agency = forms.ChoiceField(label=_("机构"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *DocumentStatus.choices]
    )
    year = forms.IntegerField(label=_("发布年份"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("全部"))] + [(a.code, a.name) for a in agencies]
