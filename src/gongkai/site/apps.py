from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.site"
    label = "gongkai_site"
    default_auto_field = "django.db.models.BigAutoField"
