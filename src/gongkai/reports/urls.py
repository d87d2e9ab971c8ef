from django.urls import path

from gongkai.reports.views import public

app_name = "reports"
urlpatterns = [
    path("<str:code>/", public.agency_reports, name="agency"),
    path("<str:code>/<int:year>/<str:scope>/", public.detail, name="detail"),
    path("<str:code>/<int:year>/<str:scope>/report.<str:fmt>", public.download, name="download"),
]
