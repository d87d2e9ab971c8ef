"""Read-only admin views of issued letters (issued letters are never edited; templates and
settings are edited in the console, where changes are validated and audit-logged)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.letters.models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "recipient", "agency", "letter_date", "voided_at")
    list_filter = ("series", "year")
    search_fields = ("number", "recipient", "application__tracking_code")
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
