from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.workdays"
    label = "workdays"
    verbose_name = _("节假日日历")
    default_auto_field = "django.db.models.BigAutoField"
