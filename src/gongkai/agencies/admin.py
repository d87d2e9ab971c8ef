"""Django admin for system administrators: agencies, memberships, and users with memberships.

Staff never need the admin; it is for superusers (系统管理员) only. Credit codes are validated by
the model field, so a wrong check character is refused here with the Chinese message.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]
    verbose_name = _("岗位")
    verbose_name_plural = _("岗位（所在机构和角色）")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "doc_prefix", "is_active"]
    list_filter = ["kind", "is_separately_planned", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code", "credit_code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "is_separately_planned",
                    "is_vertically_managed",
                    "is_active",
                ]
            },
        ),
        (_("代码"), {"fields": ["division_code", "credit_code", "org_code", "doc_prefix"]}),
        (
            _("公开指南和联系方式"),
            {
                "fields": [
                    "office_name",
                    "address",
                    "postcode",
                    "office_hours",
                    "phone",
                    "fax",
                    "email",
                    "website",
                    "guide_text",
                ]
            },
        ),
        (_("树结构（自动维护）"), {"fields": ["path", "depth"], "classes": ["collapse"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__first_name", "agency__name", "agency__code"]
    autocomplete_fields = ["user", "agency"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin with the user's memberships (agency and role) inline."""

    inlines = [UserMembershipInline]
