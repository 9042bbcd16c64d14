from django.urls import URLPattern, URLResolver, path

from clinical_notes import api, views

app_name = "clinical_notes"

# Screens (mounted at /notes/): the clinician's lists, the co-sign queue, the editor, the note
# page and its PDF.
urlpatterns: list[URLPattern | URLResolver] = [
    path("my-day/", views.my_day, name="my_day"),
    path("to-write/", views.to_write, name="to_write"),
    path("returned/", views.returned, name="returned"),
    path("cosign/", views.cosign_queue, name="cosign_queue"),
    path("cosign/many/", views.note_cosign_many, name="cosign_many"),
    path("all/", views.note_list, name="list"),
    path("appointments/<int:appointment_id>/write/", views.note_start, name="start"),
    path("<int:note_id>/", views.note_detail, name="detail"),
    path("<int:note_id>/edit/", views.note_edit, name="edit"),
    path("<int:note_id>/sign/", views.note_sign, name="sign"),
    path("<int:note_id>/cosign/", views.note_cosign, name="cosign"),
    path("<int:note_id>/return/", views.note_return, name="return"),
    path("<int:note_id>/addenda/", views.addendum_add, name="addendum_add"),
    path("<int:note_id>/pdf", views.note_pdf, name="pdf"),
    path("<int:note_id>/open-full/", views.note_open_full, name="open_full"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.NoteListApi.as_view(), name="list"),
    path("create/", api.NoteCreateApi.as_view(), name="create"),
    path("cosign-queue/", api.NoteCosignQueueApi.as_view(), name="cosign_queue"),
    path("<int:note_id>/", api.NoteDetailApi.as_view(), name="detail"),
    path("<int:note_id>/update/", api.NoteUpdateApi.as_view(), name="update"),
    path("<int:note_id>/checks/", api.NoteChecksApi.as_view(), name="checks"),
    path("<int:note_id>/sign/", api.NoteSignApi.as_view(), name="sign"),
    path("<int:note_id>/cosign/", api.NoteCosignApi.as_view(), name="cosign"),
    path("<int:note_id>/return/", api.NoteReturnApi.as_view(), name="return"),
    path("<int:note_id>/addenda/create/", api.NoteAddendumAddApi.as_view(), name="addendum_add"),
    path("<int:note_id>/delete/", api.NoteDeleteApi.as_view(), name="delete"),
    path("<int:note_id>/open-full/", api.NoteOpenFullApi.as_view(), name="open_full"),
]
