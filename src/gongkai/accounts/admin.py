"""Two-factor devices in the admin: a system administrator can delete the device of a user who
lost the phone and the recovery codes (the user then logs in with the password and enrols again).
The secret is never shown."""

from django.contrib import admin

from gongkai.accounts.models import TotpDevice


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "confirmed_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
