"""Supervision console (督查督办), mounted at /console/supervision/."""

from django.urls import path

from gongkai.supervision.views import complaints, oversight, tasks

app_name = "supervision_staff"
urlpatterns = [
    path("", tasks.index, name="index"),
    path("mine/", tasks.mine, name="mine"),
    path("new/", tasks.task_new, name="new"),
    path("import/", tasks.import_start, name="import"),
    path("import/confirm/", tasks.import_confirm, name="import_confirm"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/act/", tasks.task_act, name="act"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="edit"),
    path("tasks/<int:pk>/units/", tasks.unit_add, name="unit_add"),
    path("units/<int:unit_id>/owner/", tasks.unit_owner, name="owner"),
    path("units/<int:unit_id>/report/", tasks.report, name="report"),
    path("attachments/<int:pk>/", tasks.report_attachment, name="attachment"),
    path("evidence/<int:pk>/", tasks.evidence, name="evidence"),
    path("dispatch/", tasks.dispatch, name="dispatch"),
    path("dispatch/export.<str:fmt>", tasks.dispatch_export, name="dispatch_export"),
    path("oversight/", oversight.dashboard, name="dashboard"),
    path("oversight/recheck/", oversight.recheck, name="recheck"),
    path("oversight/<str:code>/<str:metric>/", oversight.drill, name="drill"),
    path("assessment/", oversight.assessment_view, name="assessment"),
    path("assessment/export.xlsx", oversight.assessment_export, name="assessment_export"),
    path("assessment/indicators/", oversight.indicator_new, name="indicator_new"),
    path("assessment/indicators/defaults/", oversight.indicator_defaults, name="defaults"),
    path("assessment/indicators/<int:pk>/", oversight.indicator_edit, name="indicator"),
    path(
        "assessment/indicators/<int:pk>/delete/",
        oversight.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "assessment/indicators/<int:pk>/units/<str:code>/",
        oversight.manual_score,
        name="manual_score",
    ),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/assign/", complaints.complaint_assign, name="complaint_assign"),
    path("complaints/<int:pk>/reply/", complaints.complaint_reply, name="complaint_reply"),
]
