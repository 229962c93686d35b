"""Forms of the workspace. They parse and keep what was typed; the rules live in the
services (``tickets.services``, ``talents.services``), whose ``ValidationError`` dicts are
put back next to the named fields with ``add_service_errors``."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from centres.models import Window
from core import clock
from flows.registry import category_choices, current_workflows
from portal.services import MAX_COMMENT as MAX_FOLLOW_UP_NOTE
from staff.models import Officer
from talents.fields import NationalityField
from talents.models import (
    CALLER_FIELDS,
    IDENTITY_FIELDS,
    MISSING_FIELD,
    DocumentType,
    Language,
    Origin,
    Talent,
    required_fields,
)
from tickets import routing
from tickets.models import Channel, MaterialStatus, Priority
from workspace.display import category_label

INTAKE_CHANNELS = [Channel.WINDOW, Channel.HOTLINE, Channel.EMAIL, Channel.REFERRAL]
NEW_TALENT = "new"


def new_client_token() -> str:
    return uuid.uuid4().hex


def add_service_errors(form: forms.Form, error: ValidationError, *, non_field_to: str | None = None) -> None:
    """Put a service's ``ValidationError`` next to the fields it names (else on top).

    ``non_field_to`` receives errors that name no field (for a talent: "a talent with
    this document type and number already exists"), so they sit next to the field the
    person would correct.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(non_field_to, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else non_field_to, messages)


def _all_material_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for workflow in current_workflows().values():
        for material in workflow.materials:
            seen.setdefault(material.id, str(material.label))
    return list(seen.items())


class IntakeForm(forms.Form):
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    talent = forms.CharField(
        label=_("Talent"),
        error_messages={"required": _("Choose a talent from the search or register a new one.")},
    )
    channel = forms.ChoiceField(label=_("Channel"), widget=forms.RadioSelect)
    window = forms.ModelChoiceField(label=_("Window"), queryset=Window.objects.none(), empty_label=None)
    category = forms.ChoiceField(label=_("Category"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials handed over"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # 即办: the answer given on the call or at the window (``ticket_open_answered`` requires it).
    answer = forms.CharField(label=_("The answer given"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, windows=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channel"].choices = [(c.value, capfirst(c.label)) for c in INTAKE_CHANNELS]
        self.fields["priority"].choices = [(value, capfirst(label)) for value, label in Priority.choices]
        self.fields["category"].choices = [("", _("— choose a category —")), *category_choices()]
        self.fields["window"].queryset = windows if windows is not None else Window.objects.none()
        self.fields["materials"].choices = _all_material_choices()
        # Choosing a category swaps in its materials checklist (htmx); see intake.html.
        self.fields["category"].widget.attrs.update({
            "hx-get": reverse("workspace:intake"), "hx-target": "#intake-materials",
            "hx-swap": "outerHTML", "hx-trigger": "change",
        })
        # Typing the description suggests categories (htmx, debounced; see workspace/suggest.py),
        # again on load when a refused form comes back with a description. "input", not
        # "keyup": text committed by a Chinese IME or pasted with the mouse fires no keyup.
        trigger = "input changed delay:400ms"
        if self.is_bound and (self.data.get("description") or "").strip():
            trigger += ", load"
        self.fields["description"].widget.attrs.update({
            "hx-get": reverse("workspace:intake_suggest"), "hx-trigger": trigger,
            "hx-target": "#intake-guidance", "hx-swap": "outerHTML",
            "hx-include": "[name='subject'], [name='category']", "aria-controls": "intake-guidance",
        })
        self.talent_obj: Talent | None = None

    @property
    def is_new_talent(self) -> bool:
        return (self.data.get(self.add_prefix("talent")) or "") == NEW_TALENT

    def clean_talent(self):
        value = self.cleaned_data["talent"]
        if value == NEW_TALENT:
            return value
        scope = Talent.objects.visible_to(self.user)
        talent = scope.filter(pk=value).first() if value.isdigit() else None
        if talent is None:
            raise ValidationError(_("This talent no longer exists; search again."))
        self.talent_obj = talent
        return value

    def clean(self):
        data = super().clean()
        category = data.get("category")
        received = data.get("materials") or []
        workflow = current_workflows().get(category) if category else None
        if workflow is not None:
            known = {m.id for m in workflow.materials}
            unknown = [m for m in received if m not in known]
            if unknown:
                self.add_error("materials", _("These materials do not belong to the category."))
        return data


class NewTalentForm(forms.Form):
    """A talent registered during intake; ``talents.services.talent_create`` validates."""

    native_name = forms.CharField(label=_("Name (native script)"), max_length=120, required=False)
    latin_name = forms.CharField(label=_("Name (Latin script)"), max_length=120, required=False)
    nationality = NationalityField()
    document_type = forms.ChoiceField(label=_("Document type"),
                                      choices=[("", _("— choose —")), *DocumentType.choices])
    document_number = forms.CharField(label=_("Document number"), max_length=40)
    birth_date = forms.DateField(label=_("Birth date (optional)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("With the name and nationality it finds duplicate records."))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), required=False,
        choices=[("", _("— from the nationality (region) —")), *Language.choices],
    )
    origin = forms.ChoiceField(
        label=_("Origin"), required=False,
        choices=[("", _("— from the nationality (region) —")), *Origin.choices],
        help_text=_("Hong Kong, Macao, Taiwan, foreign, returning Chinese or domestic."),
    )

    def __init__(self, *args, identity: bool = True, **kwargs):
        """``identity``: the request needs the nationality (region) and document
        (``talents.models.required_fields``); a caller's question needs a name and phone."""
        super().__init__(*args, **kwargs)
        required = required_fields(identity=identity)
        for name in (*IDENTITY_FIELDS, *CALLER_FIELDS):
            self.fields[name].required = name in required
            self.fields[name].error_messages["required"] = MISSING_FIELD[name]

    def clean(self):
        data = super().clean()
        if not (data.get("native_name") or "").strip() and not (data.get("latin_name") or "").strip():
            self.add_error("latin_name", _("Give the name in Latin script, native script or both."))
        return data


class WorkFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    # The tiles of My work link to these (``workspace.inbox.due_condition``).
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("any deadline")),
        ("today", _("breaching today")),
        ("overdue", _("overdue")),
        ("due_soon", _("due soon")),
        ("waiting", _("waiting on talent")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states: dict[str, str] = {}
        for workflow in current_workflows().values():
            for state in workflow.states:
                if not state.final:
                    states.setdefault(state.id, str(state.label))
        self.fields["state"].choices = [("", _("all states")), *states.items()]
        self.fields["category"].choices = [("", _("all categories")), *category_choices()]


class MaterialIdsField(forms.Field):
    """Ticked material ids (checkboxes named alike); the service says which are unknown."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value or []
        if len(values) > 50:
            raise ValidationError(_("Too many items."))
        return [str(v).strip()[:40] for v in values if str(v).strip()]


class ActionForm(forms.Form):
    action = forms.SlugField(max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    requested = MaterialIdsField(label=_("Documents asked for"), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=[("internal", _("Internal note (staff only)")), ("public", _("Public reply (the talent sees it)"))],
        initial="internal",
        widget=forms.RadioSelect,
    )
    # Set when the text came from the knowledge base: the ticket records what answered it.
    article = forms.SlugField(required=False, max_length=60, widget=forms.HiddenInput)
    template = forms.SlugField(required=False, max_length=60, widget=forms.HiddenInput)


class MaterialForm(forms.Form):
    status = forms.ChoiceField(choices=MaterialStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class AttachmentForm(forms.Form):
    """A file staff attach to a material (a scan made at the window); checked and stored by
    ``prereview.uploads`` like a talent's upload."""

    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class OfficerPickerField(forms.ModelChoiceField):
    """An officer with what a supervisor weighs: open load against capacity, overdue
    tickets, skills, and a warning when the officer lacks the ticket's category skill
    (``tickets.routing.lacks_skill``, the rule the assign service enforces). Its queryset
    comes from ``tickets.routing.assignment_candidates`` (annotated load and overdue)."""

    ticket = None

    def label_from_instance(self, officer):
        skills = ", ".join(category_label(skill) for skill in officer.skills or []) or "—"
        text = _("%(name)s — %(load)s open of %(capacity)s, %(overdue)s overdue · skills: %(skills)s") % {
            "name": officer.display_name, "load": getattr(officer, "load", "?"), "capacity": officer.capacity,
            "overdue": getattr(officer, "overdue", "?"), "skills": skills}
        if self.ticket is not None and routing.lacks_skill(officer, self.ticket):
            text += " · ⚠ " + str(_("no skill for this category"))
        return text


class AssignForm(forms.Form):
    officer = OfficerPickerField(
        label=_("Assign to"), queryset=Officer.objects.none(), required=False,
        empty_label=_("— back to the queue —"),
    )
    confirm_missing_skill = forms.BooleanField(
        label=_("Assign even if the officer lacks the category skill"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100)
    version = forms.RegexField(r"^[0-9]{1,20}$", widget=forms.HiddenInput, error_messages={
        "required": _("This form is out of date: reload the page."),
        "invalid": _("This form is out of date: reload the page.")})

    def __init__(self, *args, centre=None, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is not None:
            self.fields["officer"].queryset = routing.assignment_candidates(centre, clock.now())
        self.fields["officer"].ticket = ticket


class BulkAssignForm(forms.Form):
    """Several tickets of a list to one officer (or back to the queue), all or nothing."""

    tickets = forms.MultipleChoiceField(
        label=_("Tickets"), error_messages={"required": _("Select at least one ticket.")})
    officer = OfficerPickerField(
        label=_("Assign to"), queryset=Officer.objects.none(), required=False,
        empty_label=_("— back to the queue —"),
    )
    confirm_missing_skill = forms.BooleanField(
        label=_("Assign even if the officer lacks the category skill"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100)
    next = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, centre=None, references=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].choices = [(ref, ref) for ref in references]
        if centre is not None:
            self.fields["officer"].queryset = routing.assignment_candidates(centre, clock.now())


class RevealForm(forms.Form):
    """Why the full document number is needed: required, as in the API (recorded)."""

    reason = forms.CharField(label=_("Reason"), max_length=200, error_messages={
        "required": _("Say why you need the full number.")})


class PriorityForm(forms.Form):
    """A priority change; ``tickets.services.ticket_set_priority`` decides who may."""

    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 error_messages={"invalid_choice": _("Choose low, normal, high or urgent.")})
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    version = forms.RegexField(r"^[0-9]{1,20}$", widget=forms.HiddenInput, error_messages={
        "required": _("This form is out of date: reload the page."),
        "invalid": _("This form is out of date: reload the page.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [(value, capfirst(label)) for value, label in Priority.choices]
        self.fields["priority"].widget.attrs["id"] = "priority-select"
        self.fields["reason"].widget.attrs.update({"id": "priority-reason",
                                                   "placeholder": _("Why (recorded)")})


class DutyForm(forms.Form):
    """Going off duty (with or without handing the open tickets over) or back on duty."""

    duty = forms.ChoiceField(label=_("Duty"), choices=[("off", _("off duty")), ("on", _("on duty"))],
                             error_messages={"invalid_choice": _("Choose on duty or off duty."),
                                             "required": _("Choose on duty or off duty.")})
    hand_over = forms.BooleanField(label=_("Hand the open tickets over by the routing rules"),
                                   required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100,
                             help_text=_("Recorded in the officer's history, e.g. “annual leave”."))


class FollowUpForm(forms.Form):
    """A supervisor's note closing the follow-up of a low rating."""

    note = forms.CharField(label=_("How was the talent contacted, and what was agreed?"),
                           max_length=MAX_FOLLOW_UP_NOTE, widget=forms.Textarea(attrs={"rows": 3}))
