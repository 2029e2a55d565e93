"""Every form field's limit matches the column it is stored in (issue 16, item 4).

A field longer than its column is a 500 on PostgreSQL (SQLite does not check lengths): the
report form took 2,048 characters per link for a column of 1,000. This walks every form of
the project's apps (the modules at each app's top level: forms, admin, views that define
filters) and, for each text field, finds where its value goes:

- a ModelForm's field: the model field of the same name;
- a plain form: ``STORED_IN`` below names the column (or says why the value is not stored
  in a column with a limit); a field not listed there is looked up by name in the model
  of ``WRITES`` that the form's service writes.

A text field that is in neither fails the test: a new form says where its values go.
"""

import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Lines:
    """A text area whose every line is one row of ``column``; ``sample(n)`` is a valid line of n characters."""

    column: str
    sample: object


@dataclass(frozen=True)
class NotStored:
    """Not written to a column with a length limit: why."""

    why: str


LOOKUP = NotStored("compared with stored values (a lookup), never stored")
FILTER = NotStored("a list filter or search of the page")
ENCRYPTED = NotStored("inside the encrypted JSON of Report.reporter (no column limit)")
PICK_NAME = NotStored("a name typed to find a row (netral.forms.TypedChoiceMixin); only the found row is stored")
PICK_ID = NotStored("a row's id, looked up (netral.forms.clean_pick); only the found row is stored")
PICK_LINES = NotStored("rows' names typed one per line (netral.forms.PickLinesField); only the found rows are stored")
AUDIT = NotStored("stored in the audit entry's JSON data (cut to 500 characters by the service)")

# The model each plain form's service writes; fields of the same name are compared.
WRITES = {
    "reports.forms.ReportForm": "reports.Report",
    "reports.forms.ReportedPersonForm": "reports.ReportedPerson",
    "cases.forms.FindingForm": "cases.Case",
    "cases.forms.ProposeForm": "cases.Case",
    "cases.forms.ClarificationForm": "cases.Clarification",
    "cases.forms.MinutesForm": "cases.Clarification",
    "prevention.forms.EventForm": "prevention.Event",
    "prevention.forms.RecordForm": "prevention.Event",
    "prevention.forms.PhotoForm": "prevention.EventPhoto",
    "prevention.forms.MaterialForm": "prevention.Material",
    "prevention.forms.SignForm": "prevention.Pledge",
    "prevention.forms.CeremonyForm": "prevention.Ceremony",
    "prevention.forms.BannerForm": "prevention.Banner",
    "agreements.forms.MeetingForm": "agreements.EvaluationMeeting",
    "agreements.forms.AddendumForm": "agreements.Addendum",
    "agreements.forms.TerminationForm": "agreements.Termination",
    "agreements.forms.DocumentForm": "agreements.Document",
    "agreements.forms.ManualValueForm": "agreements.ManualValue",
    "agreements.forms.AgreementForm": "agreements.Agreement",
    "agreements.forms.WorkPlanItemForm": "agreements.WorkPlanItem",
    "followup.forms.IssueForm": "followup.Recommendation",
    "followup.forms.DecisionForm": "followup.Decision",
    "api.forms.TokenForm": "api.PartnerToken",
    "prevention.checklist_forms.ChecklistItemForm": "prevention.ChecklistItem",
    "prevention.notice_forms.NoticeForm": "prevention.AsnNotice",
    "agreements.forms.DutyStatusForm": "agreements.Duty",
    "agreements.forms.DutyEvidenceForm": "agreements.DutyEvidence",
    "agreements.forms.BudgetLineForm": "agreements.BudgetLine",
    "agreements.forms.SpendingForm": "agreements.Spending",
    "agreements.forms.DisseminationForm": "agreements.Dissemination",
    "agreements.forms.OfficialForm": "agreements.Official",
    "agreements.forms.DisputeForm": "agreements.Dispute",
    "agreements.forms.DeliberationForm": "agreements.Deliberation",
    "agreements.forms.DisputeCloseForm": "agreements.Dispute",
    "agreements.forms.StandaloneMeetingForm": "agreements.EvaluationMeeting",
}

# Fields whose column has another name, or that are not stored in a column with a limit.
STORED_IN = {
    "reports.forms.ReportForm": {
        "submission_token": NotStored("only its SHA-256 is stored"),
        "reporter_name": ENCRYPTED, "reporter_address": ENCRYPTED, "reporter_nik": ENCRYPTED,
        "reporter_phone": ENCRYPTED, "reporter_email": ENCRYPTED,
        "links": Lines("reports.ReportLink.url", lambda n: "https://example.org/" + "a" * (n - 20)),
        "region_name": NotStored("a place typed to find its region (regions.selectors.region_resolve); "
                                 "only the region's id is stored"),
    },
    "reports.forms.TrackForm": {"code": LOOKUP},
    "reports.forms.MessageForm": {"body": "reports.Message.body"},
    "reports.forms.WithdrawForm": {"reason": "reports.StatusChange.public_note"},
    "reports.forms.StatusForm": {"public_note": "reports.StatusChange.public_note"},
    "reports.forms.InboxFilterForm": {"q": FILTER},
    "reports.forms.HandoverForm": {
        "reason": "reports.Handover.reason",
        "to_office_name": NotStored("an office's name typed to find it (organizations.selectors.office_resolve)"),
        "to_office": NotStored("an office's id, looked up; only the found office is stored"),
        "to_region_name": NotStored("a place typed to find its region (regions.selectors.region_resolve)"),
        "to_region": NotStored("a region's id, looked up; only the found region is stored"),
    },
    "reports.forms.IdentityRequestForm": {"reason": "reports.IdentityRequest.reason"},
    "reports.forms.IdentityDecisionForm": {"note": "reports.IdentityRequest.decision_note"},
    "cases.forms.RequirementsForm": {"note_*": "cases.RequirementCheck.note", "message": "reports.Message.body"},
    "cases.forms.FindingForm": {"person_name": "cases.CasePerson.name", "person_position": "cases.CasePerson.position",
                                "person_unit": "cases.CasePerson.unit",
                                "region_name": NotStored("a place typed to find its region "
                                                         "(regions.selectors.region_resolve)")},
    "cases.forms.ProposeForm": {"reason": "cases.Case.outcome_reason"},
    "cases.forms.NoteForm": {"note": AUDIT},
    "cases.forms.ApproveForm": {"announcement": "cases.Case.announcement"},
    "cases.forms.CaseFilterForm": {"q": FILTER},
    "cases.forms.MergeForm": {"number": LOOKUP},
    "cases.forms.AssessmentForm": {"note": "cases.EvidenceAssessment.note"},
    "followup.forms.FilterForm": {"q": FILTER},
    "followup.forms.RefuseForm": {"reason": "followup.Decision.reason"},
    "followup.forms.DecisionForm": {"sanction": NotStored("an id the service checks against the rule catalog "
                                                          "before it is stored (followup.services.decision_record)")},
    "prevention.forms.IdentityForm": {"identity": LOOKUP},
    "prevention.forms.VerifyForm": {"identity": LOOKUP},
    "prevention.forms.SignForm": {"drawn": NotStored("a PNG data URL, checked and stored as a file "
                                                     "(prevention.signature, at most 300 kB)")},
    "prevention.forms.RevokeForm": {"reason": "prevention.Pledge.revoked_reason"},
    "prevention.forms.LibrarySearchForm": {"q": FILTER},
    "prevention.forms.EventForm": {"target_units": PICK_LINES},
    "prevention.notice_forms.NoticeForm": {"units": PICK_LINES},
    "prevention.checklist_forms.ChecklistItemForm": {"note": "prevention.ChecklistItem.note"},
    "agreements.forms.AgreementForm": {
        "first_number": "agreements.Party.number", "second_number": "agreements.Party.number",
        "first_signatory": "agreements.Party.signatory_name", "second_signatory": "agreements.Party.signatory_name",
        "first_position": "agreements.Party.signatory_position",
        "second_position": "agreements.Party.signatory_position",
        "agency_name": PICK_NAME, "agency": PICK_ID,
    },
    "agreements.forms.WorkPlanItemForm": {"outputs": Lines("agreements.Target.text", None),
                                          "outcomes": Lines("agreements.Target.text", None),
                                          "duties_first": Lines("agreements.Duty.text", None),
                                          "duties_second": Lines("agreements.Duty.text", None)},
    "agreements.forms.DutyStatusForm": {"note": "agreements.Duty.status_note"},
    "agreements.forms.StandaloneMeetingForm": {
        "ceremony_name": PICK_NAME, "ceremony": PICK_ID,
        "participants": NotStored("parsed into lines 'institution; name or number' (agreements.officials."
                                  "parse_participants): MeetingParticipant rows, each part refused by the form when longer than "
                                  "its column (test_a_participant_longer_than_its_column_is_refused), and "
                                  "joined into the meeting's attendees (a text column)"),
    },
    # Issue 20: rows chosen by typing their name (netral.forms.TypedChoiceMixin).
    "followup.forms.IssueForm": {"addressee_name": PICK_NAME, "addressee": PICK_ID},
    "registry.forms.UploadForm": {"agency_name": PICK_NAME, "agency": PICK_ID},
    "registry.forms.ExportForm": {"agency_name": PICK_NAME, "agency": PICK_ID},
    "api.forms.TokenForm": {"user_name": PICK_NAME, "user": PICK_ID},
    "portal.followup_views.RegisterFilterForm": {"agency_name": FILTER, "agency": FILTER},
    "prevention.forms.CeremonySignForm": {"q": FILTER},
    "prevention.forms.BannerForm": {"unit_typed": PICK_NAME, "unit": PICK_ID},
    "accounts.forms.StaffAuthenticationForm": {"username": LOOKUP, "password": LOOKUP},
    "accounts.forms.TokenForm": {"otp_token": LOOKUP},
    "accounts.forms.BackupTokenForm": {"otp_token": LOOKUP},
    "letters.forms.VerifyForm": {"sha256": LOOKUP},
    "onboarding.forms.InviteForm": {"name": "accounts.User.first_name", "email": "accounts.User.username"},
    "onboarding.forms.ListFilterForm": {"q": FILTER},
    "onboarding.forms.AgencyOpenForm": {"agency_name": PICK_NAME, "agency": PICK_ID},
    "followup.dashboard_forms.DashboardFilterForm": {"agency_name": FILTER, "agency": FILTER},
    "prevention.checklist_forms.ProgressFilterForm": {"agency_name": FILTER, "agency": FILTER},
    "accounts.invitation_forms.AcceptForm": {"new_password1": NotStored("only Django's password hash is stored"),
                                             "new_password2": LOOKUP},
    "registry.forms.AddUnitForm": {"name": NotStored("matched (by registry.importing.unit_key) against the units "
                                                     "the preview's rows name; the unit is created with the "
                                                     "row's own name, at most MAX_LENGTHS['unit'] characters")},
    "intake.forms.FakeMessageForm": {
        "address": NotStored("the fake provider's pretend number: hashed, and encrypted in a JSON column"),
        "text": NotStored("inside the encrypted JSON of intake.InboundMessage.payload; the conversation's "
                          "questions cut each answer to its column (intake/data/conversation.yaml)"),
    },
}

# ModelForm fields wider than their column on purpose; the cleaning brings them within it.
WIDER = {
    ("registry.admin.EmployeeAdminForm", "nip"): "grouped digits ('19850315 201001 1 002') are normalised to the "
                                                 "18 stored digits; the model's own check then applies",
}

# Forms whose fields are added when they are built: how to build one.
BUILD = {
    "cases.forms.RequirementsForm": lambda cls: cls(regime="pilkada", prefilled={}, language="id"),
}


def _project_forms():
    root = Path(settings.BASE_DIR).resolve()
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(root) or ".venv" in path.parts:
            continue
        for module_path in sorted(path.glob("*.py")):
            if not module_path.stem.endswith(("forms", "views", "admin")):
                continue
            module = importlib.import_module(f"{config.name}.{module_path.stem}")
            for cls in vars(module).values():
                if (inspect.isclass(cls) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
                        and not cls.__name__.startswith("Base")):
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


FORMS = _project_forms()


def _column(label: str):
    app_model, field = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(field)


def _declared(cls, name):
    """Where ``cls``'s field ``name`` goes, by this form's entry or a parent form's."""
    for klass in cls.__mro__:
        key = f"{klass.__module__}.{klass.__qualname__}"
        entries = STORED_IN.get(key, {})
        for pattern, target in entries.items():
            if pattern == name or (pattern.endswith("*") and name.startswith(pattern[:-1])):
                return target
        if key in WRITES:
            model = apps.get_model(WRITES[key])
            try:
                return model._meta.get_field(name)
            except Exception:
                pass
    return None


def _fields(key, cls):
    build = BUILD.get(key)
    return (build(cls).fields if build else cls.base_fields).items()


def _limit(field, column) -> str | None:
    """What is wrong with ``field`` stored whole in ``column``, or None."""
    limit = getattr(column, "max_length", None)
    if not isinstance(column, models.CharField) or limit is None:  # TextField, JSONField: no limit
        return None
    if field.max_length != limit:
        return f"allows {field.max_length} characters, its column {column.model.__name__}.{column.name} holds {limit}"
    return None


def test_the_walk_finds_the_forms_of_every_app():
    assert {"reports.forms.ReportForm", "prevention.forms.MaterialForm", "registry.admin.EmployeeAdminForm",
            "portal.views.DeadlineCalculatorForm", "followup.dashboard_forms.DashboardFilterForm"} <= set(FORMS)


def test_every_text_field_of_every_form_fits_its_column():
    problems = []
    for key, cls in FORMS.items():
        model = cls._meta.model if issubclass(cls, forms.ModelForm) else None
        for name, field in _fields(key, cls):
            if not isinstance(field, forms.CharField):
                continue
            where = f"{key}.{name}"
            if model is not None:
                if (key, name) in WIDER:
                    continue
                try:
                    column = model._meta.get_field(name)
                except Exception:
                    target = _declared(cls, name)
                    if target is None:
                        problems.append(f"{where}: not a field of {model.__name__}; say where it goes (STORED_IN)")
                    continue
                problem = _limit(field, column)
            else:
                target = _declared(cls, name)
                if target is None:
                    problems.append(f"{where}: say where its value is stored (STORED_IN or WRITES)")
                    continue
                if isinstance(target, (NotStored, Lines)):
                    continue  # lines: checked by test_each_line_fits_its_column
                column = _column(target) if isinstance(target, str) else target
                problem = _limit(field, column)
            if problem:
                problems.append(f"{where}: {problem}")
    assert problems == []


LINES = [(key, name, target) for key, entries in STORED_IN.items() for name, target in entries.items()
         if isinstance(target, Lines) and target.sample is not None]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "name", "target"), LINES, ids=[f"{key}.{name}" for key, name, _t in LINES])
def test_each_line_fits_its_column(key, name, target):
    limit = _column(target.column).max_length
    cls = FORMS[key]
    fits = cls(data={name: target.sample(limit)})
    fits.is_valid()
    assert name not in fits.errors, fits.errors.get(name)
    too_long = cls(data={name: target.sample(limit + 1)})
    assert not too_long.is_valid() and name in too_long.errors


def test_lines_into_a_column_without_a_limit_need_no_sample():
    for key, entries in STORED_IN.items():
        for name, target in entries.items():
            if isinstance(target, Lines) and target.sample is None:
                assert getattr(_column(target.column), "max_length", None) is None, f"{key}.{name}"


def test_the_register_import_cuts_at_the_register_s_columns():
    """Rows from files and partner systems are checked by registry.importing.MAX_LENGTHS, not a form."""
    from registry.importing import MAX_LENGTHS

    columns = {"name": "registry.Employee.name", "birth_place": "registry.Employee.birth_place",
               "rank": "registry.Employee.rank", "position": "registry.Employee.position",
               "unit": "organizations.Unit.name", "status": "registry.Employee.status",
               "title_prefix": "registry.Employee.title_prefix", "title_suffix": "registry.Employee.title_suffix"}
    assert MAX_LENGTHS == {key: _column(label).max_length for key, label in columns.items()}
    # The preview stages each row in ImportRow first: its columns hold as much.
    staged = {"name": "name", "birth_place": "birth_place", "rank": "rank", "position": "position",
              "unit": "unit_name", "status": "status_text", "title_prefix": "title_prefix",
              "title_suffix": "title_suffix"}
    assert MAX_LENGTHS == {key: _column(f"registry.ImportRow.{column}").max_length for key, column in staged.items()}
    # Not cut but checked: a register number is kept only when whole (registry.identity.is_register_number);
    # the NIK goes into an encrypted JSON column (no limit).
    from registry.identity import REGISTER_NUMBER_LENGTH

    for label in ("registry.Employee.register_number", "registry.ImportRow.register_number"):
        assert _column(label).max_length == REGISTER_NUMBER_LENGTH, label


def test_a_participant_longer_than_its_column_is_refused():
    from agreements.forms import PARTICIPANT_INSTITUTION_MAX, PARTICIPANT_NAME_MAX, StandaloneMeetingForm
    from agreements.models import MeetingParticipant

    columns = {name: MeetingParticipant._meta.get_field(name).max_length for name in ("institution", "name")}
    assert columns == {"institution": PARTICIPANT_INSTITUTION_MAX, "name": PARTICIPANT_NAME_MAX}
    form = StandaloneMeetingForm.__new__(StandaloneMeetingForm)
    form.cleaned_data = {"participants": "Bawaslu; " + "a" * (PARTICIPANT_NAME_MAX + 1)}
    with pytest.raises(forms.ValidationError):
        form.clean_participants()
    form.cleaned_data = {"participants": "Bawaslu; " + "a" * PARTICIPANT_NAME_MAX}
    assert form.clean_participants() == [("Bawaslu", "a" * PARTICIPANT_NAME_MAX, 1)]
