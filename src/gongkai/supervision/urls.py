"""Public pages of supervision: none yet (complaints are registered by staff)."""

app_name = "supervision"
urlpatterns: list = []
