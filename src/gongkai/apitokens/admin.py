from django.contrib import admin

from gongkai.apitokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    exclude = ("hashed_secret",)

    def has_add_permission(self, request) -> bool:
        return False  # tokens are created by their owner in the console (shown once)
