"""Public URLs of disclosure requests, mounted at /requests/ (namespace ``applications``)."""

from django.urls import path

from gongkai.applications.views import public

app_name = "applications"
urlpatterns = [
    path("", public.choose_agency, name="choose_agency"),
    path("captcha/", public.captcha_image, name="captcha"),
    path("captcha/new/", public.captcha_new, name="captcha_new"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.track_detail, name="track_detail"),
    path("track/<str:code>/forget/", public.forget, name="forget"),
    path("receipt/<str:code>/", public.receipt, name="receipt"),
    path("<str:code>/new/", public.new, name="new"),
]
