"""Session-note screens: my day, notes to write, returned notes, the co-sign queue, all notes,
the note editor (autosaving through the notes API; a server-side Save works without JS), the
note page (read-only, timeline, addenda, co-sign/return) and the PDF.

Thin: each view checks the capability, reads through selectors (scoped and audited), changes
through services, and hands the template a view model (clinical_notes.view_models). Errors
from services show on the page; nothing is written when they do.
"""

from clinical_notes.views.editor import note_edit as note_edit
from clinical_notes.views.editor import note_sign as note_sign
from clinical_notes.views.lists import cosign_queue as cosign_queue
from clinical_notes.views.lists import my_day as my_day
from clinical_notes.views.lists import note_list as note_list
from clinical_notes.views.lists import note_start as note_start
from clinical_notes.views.lists import returned as returned
from clinical_notes.views.lists import to_write as to_write
from clinical_notes.views.note import addendum_add as addendum_add
from clinical_notes.views.note import note_cosign as note_cosign
from clinical_notes.views.note import note_cosign_many as note_cosign_many
from clinical_notes.views.note import note_detail as note_detail
from clinical_notes.views.note import note_open_full as note_open_full
from clinical_notes.views.note import note_pdf as note_pdf
from clinical_notes.views.note import note_return as note_return
