from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "账号安全"
    default_auto_field = "django.db.models.BigAutoField"
