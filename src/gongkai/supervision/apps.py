from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.supervision"
    label = "supervision"
    default_auto_field = "django.db.models.BigAutoField"
