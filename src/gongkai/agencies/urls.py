from django.urls import path

from gongkai.agencies.views import public

app_name = "agencies"
urlpatterns = [
    path("", public.directory_view, name="directory"),
    path("<str:code>/", public.detail, name="detail"),
]
