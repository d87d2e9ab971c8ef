"""The audit log in the Django admin: read-only for system administrators."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongkai.site.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes entries here."""

    list_display = ["created_at", "actor_name", "action_display", "object_repr", "agency"]
    list_filter = ["action", "object_type"]
    list_select_related = ["agency"]
    search_fields = ["actor_name", "action", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "actor",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "agency",
        "changes",
        "sequence",
        "prev_hash",
        "entry_hash",
    ]

    @admin.display(description=_("操作"), ordering="action")
    def action_display(self, entry: AuditEntry) -> str:
        return entry.action_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
