from django.urls import path

from scheduling import api, views

app_name = "scheduling"

urlpatterns = [
    path("", views.day, name="day"),
    path("week/", views.week, name="week"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:appointment_id>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:appointment_id>/status/", views.appointment_status, name="appointment_status"),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_session_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_session_id>/roster/add/", views.group_roster_add, name="group_roster_add"),
    path(
        "groups/<int:group_session_id>/roster/remove/", views.group_roster_remove, name="group_roster_remove"
    ),
]

api_urlpatterns = [
    path("appointments/", api.AppointmentListApi.as_view(), name="appointment_list"),
    path("appointments/create/", api.AppointmentCreateApi.as_view(), name="appointment_create"),
    path("appointments/<int:appointment_id>/", api.AppointmentDetailApi.as_view(), name="appointment_detail"),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        api.AppointmentRescheduleApi.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:appointment_id>/status/",
        api.AppointmentStatusApi.as_view(),
        name="appointment_status",
    ),
    path("group-sessions/create/", api.GroupSessionCreateApi.as_view(), name="group_session_create"),
    path(
        "group-sessions/<int:group_session_id>/",
        api.GroupSessionDetailApi.as_view(),
        name="group_session_detail",
    ),
    path(
        "group-sessions/<int:group_session_id>/roster/add/",
        api.GroupRosterAddApi.as_view(),
        name="group_roster_add",
    ),
    path(
        "group-sessions/<int:group_session_id>/roster/remove/",
        api.GroupRosterRemoveApi.as_view(),
        name="group_roster_remove",
    ),
]
