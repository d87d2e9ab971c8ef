"""URL map. Each app owns a public ``urls.py`` and a staff ``staff_urls.py`` (under /console/)."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from gongkai.api import api
from gongkai.publications.sitemaps import SITEMAPS
from gongkai.site import views as site_views
from gongkai.site.pagecache import cache_page

handler403 = "gongkai.site.views.error_403"
handler404 = "gongkai.site.views.error_404"
handler500 = "gongkai.site.views.error_500"

urlpatterns = [
    path("admin/login/", site_views.admin_login),  # one login: throttled, two-factor
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("agencies/", include("gongkai.agencies.urls")),
    path("requests/", include("gongkai.applications.urls")),
    path("letters/", include("gongkai.letters.urls")),
    path("documents/", include("gongkai.publications.urls")),
    path("search/", include("gongkai.search.urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("supervision/", include("gongkai.supervision.urls")),
    path("workdays/", include("gongkai.workdays.urls")),
    path("console/agencies/", include("gongkai.agencies.staff_urls")),
    path("console/requests/", include("gongkai.applications.staff_urls")),
    path("console/letters/", include("gongkai.letters.staff_urls")),
    path("console/documents/", include("gongkai.publications.staff_urls")),
    path("console/search/", include("gongkai.search.staff_urls")),
    path("console/reports/", include("gongkai.reports.staff_urls")),
    path("console/supervision/", include("gongkai.supervision.staff_urls")),
    path("console/workdays/", include("gongkai.workdays.staff_urls")),
    path("console/tokens/", include("gongkai.apitokens.urls")),
    path("console/two-factor/", include("gongkai.accounts.staff_urls")),
    path("accounts/two-factor/", include("gongkai.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", cache_page(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        cache_page(sitemap_views.sitemap, query=("p",)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("gongkai.site.urls")),
]
