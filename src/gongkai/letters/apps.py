from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.letters"
    label = "letters"
    default_auto_field = "django.db.models.BigAutoField"
