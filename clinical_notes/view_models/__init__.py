"""View models for the note screens: dataclasses of ready-made values (labels, dates in the
practice's time zone, links, flags), built from what the selectors return.

Templates only loop over these and test their flags; they never format, compute or decide.

- `formatting`: the labels (dates, times, statuses, names);
- `lists`: the clinician's lists (my day, notes to write, returned notes, all notes);
- `review`: documentation findings, the diff against the previous note, the co-sign queue;
- `note`: one note, read-only (the note page and the PDF);
- `editor`: the editor's fields grouped for the template, and the checks panel.
"""

from clinical_notes.view_models.editor import ChecksView as ChecksView
from clinical_notes.view_models.editor import EditorPage as EditorPage
from clinical_notes.view_models.editor import FieldView as FieldView
from clinical_notes.view_models.editor import GoalRowView as GoalRowView
from clinical_notes.view_models.editor import MeasureView as MeasureView
from clinical_notes.view_models.editor import SegmentRowView as SegmentRowView
from clinical_notes.view_models.editor import checks_view as checks_view
from clinical_notes.view_models.editor import editor_page as editor_page
from clinical_notes.view_models.formatting import NOTE_STATUS_CSS as NOTE_STATUS_CSS
from clinical_notes.view_models.formatting import NOTE_STATUS_LABELS as NOTE_STATUS_LABELS
from clinical_notes.view_models.formatting import RISK_FIELDS as RISK_FIELDS
from clinical_notes.view_models.formatting import TELEHEALTH_LABELS as TELEHEALTH_LABELS
from clinical_notes.view_models.formatting import date_label as date_label
from clinical_notes.view_models.formatting import days_label as days_label
from clinical_notes.view_models.formatting import minutes_label as minutes_label
from clinical_notes.view_models.formatting import moment_label as moment_label
from clinical_notes.view_models.formatting import patient_label as patient_label
from clinical_notes.view_models.formatting import provider_label as provider_label
from clinical_notes.view_models.formatting import service_label as service_label
from clinical_notes.view_models.formatting import span_label as span_label
from clinical_notes.view_models.formatting import status_css as status_css
from clinical_notes.view_models.formatting import status_label as status_label
from clinical_notes.view_models.formatting import user_label as user_label
from clinical_notes.view_models.lists import RELEASED as RELEASED
from clinical_notes.view_models.lists import TAB_ROUTES as TAB_ROUTES
from clinical_notes.view_models.lists import AppointmentRow as AppointmentRow
from clinical_notes.view_models.lists import MyDayPage as MyDayPage
from clinical_notes.view_models.lists import NoteListPage as NoteListPage
from clinical_notes.view_models.lists import NoteRow as NoteRow
from clinical_notes.view_models.lists import ReturnedPage as ReturnedPage
from clinical_notes.view_models.lists import ReturnedRow as ReturnedRow
from clinical_notes.view_models.lists import RowAction as RowAction
from clinical_notes.view_models.lists import Tab as Tab
from clinical_notes.view_models.lists import ToWritePage as ToWritePage
from clinical_notes.view_models.lists import appointment_row as appointment_row
from clinical_notes.view_models.lists import my_day_page as my_day_page
from clinical_notes.view_models.lists import note_list_page as note_list_page
from clinical_notes.view_models.lists import note_row as note_row
from clinical_notes.view_models.lists import returned_page as returned_page
from clinical_notes.view_models.lists import tabs as tabs
from clinical_notes.view_models.lists import to_write_page as to_write_page
from clinical_notes.view_models.note import AddendumView as AddendumView
from clinical_notes.view_models.note import EventView as EventView
from clinical_notes.view_models.note import GoalView as GoalView
from clinical_notes.view_models.note import MeasurementView as MeasurementView
from clinical_notes.view_models.note import NoteActions as NoteActions
from clinical_notes.view_models.note import NoteView as NoteView
from clinical_notes.view_models.note import SectionView as SectionView
from clinical_notes.view_models.note import SegmentView as SegmentView
from clinical_notes.view_models.note import note_actions as note_actions
from clinical_notes.view_models.note import note_view as note_view
from clinical_notes.view_models.review import CloneView as CloneView
from clinical_notes.view_models.review import DiffLine as DiffLine
from clinical_notes.view_models.review import FindingView as FindingView
from clinical_notes.view_models.review import QueuePage as QueuePage
from clinical_notes.view_models.review import QueueRow as QueueRow
from clinical_notes.view_models.review import clone_view as clone_view
from clinical_notes.view_models.review import finding_view as finding_view
from clinical_notes.view_models.review import queue_page as queue_page
