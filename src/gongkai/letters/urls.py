"""Public URLs of letters, mounted at /letters/ (namespace ``letters``)."""

from django.urls import path

from gongkai.letters.views import public

app_name = "letters"
urlpatterns = [
    path("<str:code>/<int:pk>.pdf", public.download, name="download"),
]
