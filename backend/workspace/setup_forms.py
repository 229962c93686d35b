"""Forms of the centre administrator's configuration pages: checkboxes for categories,
skills, languages and windows instead of raw JSON; bad input named by field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import Window
from flows.registry import category_choices
from staff.models import Officer, Role
from staff.permissions import ASSIGNABLE_ROLES, ROUTABLE_ROLES
from talents.models import Language

REASON_HELP = _("Optional; kept in the history with your name.")


class WindowSetupForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32, help_text=_("Letters, digits, - and _; unique in the centre."))
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    categories = forms.MultipleChoiceField(label=_("Categories served"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Open (active)"), required=False, initial=True)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100, help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices()


class OfficerSetupForm(forms.Form):
    """A staff member: the account (new ones only) and the profile, in one form."""

    username = forms.RegexField(label=_("User name"), regex=r"^[\w.@+-]+\Z", max_length=150, error_messages={
        "invalid": _("Use letters, digits and @ . + - _ only.")})
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False),
                               max_length=128)
    email = forms.EmailField(label=_("E-mail"), required=False)
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    role = forms.ChoiceField(label=_("Role"))
    windows = forms.ModelMultipleChoiceField(label=_("Windows"), queryset=Window.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    skills = forms.MultipleChoiceField(label=_("Category skills"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False, choices=Language.choices,
                                          widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, max_value=1000, initial=25,
                                  help_text=_("Open tickets this officer can hold at once."))
    backup = forms.ModelChoiceField(label=_("Backup officer"), queryset=Officer.objects.none(), required=False,
                                    empty_label=_("— none —"))
    on_duty = forms.BooleanField(label=_("On duty"), required=False, initial=True)
    active = forms.BooleanField(label=_("Account active (may sign in)"), required=False, initial=True)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100, help_text=REASON_HELP)

    def __init__(self, *args, centre, officer: Officer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in ASSIGNABLE_ROLES]
        self.fields["windows"].queryset = Window.objects.filter(centre=centre).order_by("code")
        self.fields["skills"].choices = category_choices()
        backups = Officer.objects.filter(centre=centre, role__in=ROUTABLE_ROLES, user__is_active=True)
        if officer is not None:
            backups = backups.exclude(pk=officer.pk)
            # The account already exists: its name and password are not changed here.
            del self.fields["username"], self.fields["password"], self.fields["on_duty"]
        else:
            del self.fields["active"]
        self.fields["backup"].queryset = backups.order_by("display_name", "pk")
