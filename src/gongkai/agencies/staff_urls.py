from django.urls import path

from gongkai.agencies.views import staff

app_name = "agencies_staff"
urlpatterns = [
    path("", staff.mine, name="mine"),
    path("<str:code>/edit/", staff.edit, name="edit"),
]
