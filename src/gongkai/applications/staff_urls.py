"""Staff URLs of disclosure requests, mounted at /console/requests/ (``applications_staff``)."""

from django.urls import path

from gongkai.applications.views import staff

app_name = "applications_staff"
urlpatterns = [
    path("", staff.inbox, name="inbox"),
    path("register/", staff.register, name="register"),
    path("ledger/", staff.ledger_view, name="ledger"),
    path("ledger/export.<str:fmt>", staff.ledger_export, name="ledger_export"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/reply-fields/", staff.reply_fields, name="reply_fields"),
    path("<int:pk>/attachments/<int:attachment_id>/", staff.attachment, name="attachment"),
    path("<int:pk>/<str:action>/", staff.act, name="act"),
]
