"""Console pages of personal API tokens, mounted at /console/tokens/ (namespace ``apitokens``)."""

from django.urls import path

from gongkai.apitokens import views

app_name = "apitokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_create, name="create"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
