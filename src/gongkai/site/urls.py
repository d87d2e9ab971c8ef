from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("console/", views.console, name="console"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
]
