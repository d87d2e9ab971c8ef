from django.urls import path

from gongkai.reports.views import staff

app_name = "reports_staff"
urlpatterns = [
    path("", staff.index, name="index"),
    path("board/", staff.board, name="board"),
    path("board/<int:year>/", staff.board, name="board_year"),
    path("<str:code>/<int:year>/manual/", staff.manual, name="manual"),
    path("<str:code>/<int:year>/<str:scope>/", staff.detail, name="detail"),
    path("<str:code>/<int:year>/<str:scope>/sections/", staff.save_sections, name="sections"),
    path("<str:code>/<int:year>/<str:scope>/suggest/", staff.suggest, name="suggest"),
    path("<str:code>/<int:year>/<str:scope>/typed/", staff.save_typed, name="typed"),
    path("<str:code>/<int:year>/<str:scope>/lock/", staff.lock, name="lock"),
    path("<str:code>/<int:year>/<str:scope>/publish/", staff.publish, name="publish"),
    path("<str:code>/<int:year>/<str:scope>/cell/", staff.drill, name="drill"),
    path("<str:code>/<int:year>/<str:scope>/export.<str:fmt>", staff.export, name="export"),
]
