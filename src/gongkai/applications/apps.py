from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = _("依申请公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.applications import signals  # noqa: F401 - connects the receivers
