"""The second login step, mounted at /accounts/two-factor/ (namespace ``accounts``)."""

from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
]
