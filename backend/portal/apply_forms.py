"""The online application's forms: field shapes only; the rules live in
``portal.phone_codes`` and ``portal.applications``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import phone_codes
from talents.fields import NationalityField
from talents.models import DocumentType, Language, Talent, required_fields

MIN_DESCRIPTION = 4
MAX_DESCRIPTION = 5000  # the ticket description's limit (tickets.services)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"), max_length=32,
        help_text=_("With the country or region code if it is not a mainland number, e.g. +852 9123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        try:
            return phone_codes.normalise_phone(self.cleaned_data["phone"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from None


class CodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the SMS"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "placeholder": "123456"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()


class RegisterForm(forms.ModelForm):
    """A new applicant (申请人). The database's unique document rule is checked by the
    application service, never here: its message would tell who is registered."""

    nationality = NationalityField()  # 国籍（地区）: the talents app's picker

    class Meta:
        model = Talent
        fields = ["native_name", "latin_name", "nationality", "document_type", "document_number", "email",
                  "preferred_language"]
        labels = {
            "native_name": _("Name in your own script (e.g. 陳大文)"),
            "latin_name": _("Name in Latin letters, as in your document"),
            "document_type": _("Document type"),
            "document_number": _("Document number"),
            "email": _("E-mail (optional)"),
            "preferred_language": _("Language for our messages"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [("", "—")] + list(DocumentType.choices)
        # An online applicant opens a case about themself: the identity is required
        # (talents.models.required_fields; only a caller's question on the phone goes without).
        for name in required_fields(identity=True):
            self.fields[name].required = True
        self.fields["preferred_language"].choices = list(Language.choices)

    def clean(self):
        data = super().clean()
        if not (data.get("native_name") or "").strip() and not (data.get("latin_name") or "").strip():
            self.add_error("latin_name", _("Give your name in Latin letters, your own script or both."))
        return data

    def validate_unique(self):
        """Not here (see the class docstring)."""


class RequestForm(forms.Form):
    description = forms.CharField(
        label=_("What do you need? Write it in your own words"), max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("e.g. My work permit expires next month. What do I need to renew it?")}),
    )
    category = forms.CharField(required=False, max_length=40)
    token = forms.CharField(max_length=64, widget=forms.HiddenInput())

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if len(value) < MIN_DESCRIPTION:
            raise ValidationError(_("Please say a little more about what you need."))
        return value
