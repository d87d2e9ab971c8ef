"""Public portal of proactive disclosure, mounted at /documents/."""

from django.urls import path

from gongkai.publications.feeds import AtomDocumentFeed, DocumentFeed
from gongkai.publications.views import public
from gongkai.site.pagecache import cache_page

app_name = "publications"
urlpatterns = [
    path("", public.index, name="index"),
    path("search/", public.search_page, name="search"),
    path("text-size/", public.text_size, name="text_size"),
    path("feeds/<str:code>/rss/", cache_page(DocumentFeed()), name="feed_rss"),
    path("feeds/<str:code>/atom/", cache_page(AtomDocumentFeed()), name="feed_atom"),
    path("feeds/<str:code>/<slug:column>/rss/", cache_page(DocumentFeed()), name="column_feed_rss"),
    path(
        "feeds/<str:code>/<slug:column>/atom/",
        cache_page(AtomDocumentFeed()),
        name="column_feed_atom",
    ),
    path("<str:code>/", public.agency_catalogue, name="agency"),
    path("<str:code>/<int:pk>/", public.document_page, name="document"),
    path("<str:code>/<int:pk>/print/", public.print_view, name="print"),
    path(
        "<str:code>/<int:pk>/attachments/<int:attachment_id>/",
        public.download,
        name="download",
    ),
    path("<str:code>/<slug:column>/", public.column_page, name="column"),
]
