"""Console page of two-factor login, mounted at /console/two-factor/ (``accounts_staff``)."""

from django.urls import path

from gongkai.accounts import views

app_name = "accounts_staff"
urlpatterns = [
    path("", views.manage, name="two_factor"),
]
