"""Admin: editable reference data (categories, columns, index-number settings) and read-only
views of the catalogue. Documents change only through the workflow (services), never here."""

from __future__ import annotations

from django.contrib import admin

from gongkai.publications.models import (
    Category,
    Column,
    ConfidentialityReview,
    Document,
    DocumentRevision,
    PublicationSettings,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "basis", "order", "is_active")
    list_filter = ("kind", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("code", "name")


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "agency", "parent", "kind", "is_national", "order", "is_active")
    list_filter = ("kind", "is_national", "is_active")
    search_fields = ("name", "code", "agency__name", "agency__code")
    list_select_related = ("agency", "parent")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("parent",)


@admin.register(PublicationSettings)
class PublicationSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "index_pattern", "applies_to_subtree", "updated_at")
    search_fields = ("agency__name", "agency__code")
    autocomplete_fields = ("agency",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "status", "index_number", "published_on", "validity")
    list_filter = ("status", "validity", "normative_kind")
    search_fields = ("title", "index_number", "doc_number")
    list_select_related = ("agency",)


@admin.register(DocumentRevision)
class DocumentRevisionAdmin(ReadOnlyAdmin):
    list_display = ("document", "number", "published_at")


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnlyAdmin):
    list_display = ("document", "reviewer_name", "decision", "reviewed_on")
