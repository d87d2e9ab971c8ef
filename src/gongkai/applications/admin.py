"""Django admin for system administrators: requests (read-only, identity number and telephone
masked) and reviews/lawsuits.

A request is changed only through the staff console (:mod:`gongkai.applications.services`), which
checks the clock's rules and writes the event log and the audit log; the admin therefore shows
requests and their events read-only. Reviews and lawsuits may be corrected here; each change is
audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gongkai.applications.models import Appeal, Application, Event
from gongkai.core.masking import mask_id_number, mask_phone
from gongkai.site import audit


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["on", "type", "data", "actor", "created_at"]
    readonly_fields = fields
    ordering = ["on", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AppealInline(admin.TabularInline):
    model = Appeal
    extra = 0
    can_delete = False
    fields = ["kind", "body", "case_number", "filed_on", "result", "decided_on"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_code",
        "agency",
        "applicant_name",
        "masked_id_number",
        "channel",
        "received_on",
        "status",
        "due_on",
        "outcome",
    ]
    list_filter = ["status", "channel", "applicant_type", "outcome"]
    list_select_related = ["agency"]
    search_fields = ["tracking_code", "applicant_name", "description"]
    date_hierarchy = "received_on"
    # Administrators do not handle requests: identity number and telephone are masked here.
    exclude = ["secret_hash", "submission_token", "id_number", "id_number_index", "phone"]
    readonly_fields = ["masked_id_number", "masked_phone", "personal_data_erased_on"]
    inlines = [EventInline, AppealInline]

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Application) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Application) -> str:
        return mask_phone(obj.phone)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "body", "filed_on", "result", "decided_on"]
    list_filter = ["kind", "result"]
    list_select_related = ["application"]
    search_fields = ["application__tracking_code", "body", "case_number"]
    raw_id_fields = ["application"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Appeal, form: Any, change: bool) -> None:
        fields = ["kind", "body", "case_number", "filed_on", "result", "decided_on", "note"]
        before = None
        if change:
            before = audit.snapshot(Appeal.objects.get(pk=obj.pk), fields)
        else:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "appeal.update" if change else "appeal.create",
            obj,
            agency=obj.application.agency,
            before=before,
            after=audit.snapshot(obj, fields),
            extra={"via": "admin"},
        )
