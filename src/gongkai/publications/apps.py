from django.apps import AppConfig
from django.db.models.signals import post_save


class Config(AppConfig):
    name = "gongkai.publications"
    label = "publications"
    verbose_name = "主动公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.agencies.models import Agency
        from gongkai.publications.signals import agency_saved
        from gongkai.site import pagecache

        post_save.connect(agency_saved, sender=Agency, dispatch_uid="publications.agency_saved")
        pagecache.connect_signals()  # agencies, columns, categories: cached portal pages
