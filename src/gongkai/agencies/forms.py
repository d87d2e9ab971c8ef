"""Forms of the agency pages."""

from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency
from gongkai.agencies.profile import PROFILE_FIELDS


class AgencyProfileForm(forms.ModelForm):
    """Contact details and disclosure guide; validation comes from the model's fields."""

    website = forms.URLField(
        label=Agency._meta.get_field("website").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Agency
        fields = PROFILE_FIELDS
        widgets = {
            "guide_text": forms.Textarea(attrs={"rows": 18}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
            "credit_code": forms.TextInput(
                attrs={"autocapitalize": "characters", "spellcheck": "false"}
            ),
        }
