"""Staff console of proactive disclosure, mounted at /console/documents/."""

from django.urls import path

from gongkai.publications.views import staff

app_name = "publications_staff"
urlpatterns = [
    path("", staff.document_list, name="list"),
    path("new/", staff.create, name="create"),
    path("flags/", staff.flags, name="flags"),
    path("settings/", staff.settings_view, name="settings"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/submit/", staff.submit, name="submit"),
    path("<int:pk>/review/", staff.review, name="review"),
    path("<int:pk>/revise/", staff.revise, name="revise"),
    path("<int:pk>/validity/", staff.change_validity, name="validity"),
    path("<int:pk>/withdraw/", staff.withdraw, name="withdraw"),
    path("<int:pk>/attachments/", staff.upload_attachment, name="upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        staff.download_attachment,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        staff.remove_attachment,
        name="remove_attachment",
    ),
    path("<int:pk>/interpretations/", staff.link_interpretation, name="link"),
    path(
        "<int:pk>/interpretations/<int:link_id>/unlink/",
        staff.unlink_interpretation,
        name="unlink",
    ),
]
