from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.apitokens"
    label = "apitokens"
    verbose_name = "接口令牌"
    default_auto_field = "django.db.models.BigAutoField"
