"""Django admin for the holiday calendar (superusers only).

* 节假日调整 (:class:`CalendarOverride`): list, filters, search; saving or deleting goes through
  :mod:`gongkai.workdays.overrides` (audit entry, cache cleared, ``calendar_changed`` sent).
* 已载入年份 (:class:`LoadedYear`): read-only list; deleting a year unloads it
  (:func:`gongkai.workdays.loading.unload_year`); the changelist links to the screen
  「载入节假日安排通知」: paste the notice → preview (rest days, make-up days, differences) →
  confirm → saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.errors import DomainError
from gongkai.workdays.forms import NoticeForm
from gongkai.workdays.loading import load_arrangement, preview, unload_year
from gongkai.workdays.models import CalendarOverride, LoadedYear
from gongkai.workdays.notice import parse_notice
from gongkai.workdays.overrides import delete_overrides, save_override


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """The calendar decides every legal deadline: only superusers may see or change it."""

    def _superuser(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)


class ScopeFilter(admin.SimpleListFilter):
    title = gettext_lazy("适用范围")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("national", _("全国")), ("regional", _("地区"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "national":
            return queryset.filter(region__isnull=True)
        if self.value() == "regional":
            return queryset.filter(region__isnull=False)
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SuperuserOnlyAdmin):
    list_display = ["date", "weekday", "is_workday", "name", "region", "notice_year", "source"]
    list_filter = [ScopeFilter, "is_workday", "notice_year"]
    search_fields = ["name", "source", "region__name", "region__code"]
    date_hierarchy = "date"
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    fields = ["date", "is_workday", "name", "region", "source", "notice_year"]
    readonly_fields = ["notice_year"]

    @admin.display(description=gettext_lazy("星期"))
    def weekday(self, obj: CalendarOverride) -> str:
        return "周" + "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_override(obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_overrides([obj], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        delete_overrides(list(queryset.select_related("region")), user=request.user)


@admin.register(LoadedYear)
class LoadedYearAdmin(SuperuserOnlyAdmin):
    list_display = ["year", "source", "loaded_by", "loaded_at"]
    search_fields = ["source", "notice_text"]
    list_select_related = ["loaded_by"]
    fields = ["year", "source", "loaded_by", "loaded_at", "notice_text"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # years are loaded from the notice, through the screen below

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        unload_year(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for loaded in queryset:
            unload_year(loaded, user=request.user)

    def get_urls(self) -> list:
        own = [
            path(
                "load-notice/",
                self.admin_site.admin_view(self.load_notice_view),
                name="workdays_loadedyear_load_notice",
            )
        ]
        return own + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra_context = {
            **(extra_context or {}),
            "load_notice_url": reverse("admin:workdays_loadedyear_load_notice"),
        }
        return super().changelist_view(request, extra_context)

    def load_notice_view(self, request: HttpRequest) -> HttpResponse:
        """Paste → preview → confirm. Nothing is written before the confirmation."""
        if not self._superuser(request):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("载入节假日安排通知"),
            "changelist_url": reverse("admin:workdays_loadedyear_changelist"),
        }
        form = NoticeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                arrangement = parse_notice(data["notice_text"], data["year"])
                if request.POST.get("confirm"):
                    result = load_arrangement(
                        arrangement,
                        source=data["source"] or arrangement.source,
                        notice_text=data["notice_text"],
                        user=request.user,
                    )
                    self.message_user(
                        request,
                        _("已载入%(year)d年节假日安排：休息日%(rest)d天，调休上班日%(work)d天。")
                        % {
                            "year": result.year,
                            "rest": len(arrangement.rest_days),
                            "work": len(arrangement.make_up_workdays),
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(context["changelist_url"])
                context["preview"] = preview(arrangement)
                context["source"] = data["source"] or arrangement.source
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        context["form"] = form
        return TemplateResponse(request, "admin/workdays/load_notice.html", context)
