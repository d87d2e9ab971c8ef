from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.agencies"
    label = "agencies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.agencies import profile  # noqa: F401  (registers its audit action label)
