"""Staff URLs of letters, mounted at /console/letters/ (namespace ``letters_staff``)."""

from django.urls import path

from gongkai.letters.views import staff

app_name = "letters_staff"
urlpatterns = [
    path("templates/", staff.templates, name="templates"),
    path("templates/<str:code>/<str:kind>/", staff.template_edit, name="template_edit"),
    path(
        "templates/<str:code>/<str:kind>/preview/",
        staff.template_preview,
        name="template_preview",
    ),
    path("settings/<str:code>/", staff.settings_edit, name="settings"),
    path("requests/<int:application_id>/", staff.request_letters, name="request"),
    path(
        "requests/<int:application_id>/events/<int:event_id>/<str:kind>/",
        staff.compose,
        name="compose",
    ),
    path(
        "requests/<int:application_id>/events/<int:event_id>/<str:kind>/preview/",
        staff.compose_preview,
        name="compose_preview",
    ),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/void/", staff.void, name="void"),
    path("<int:pk>/<str:fmt>/", staff.download, name="download"),
]
