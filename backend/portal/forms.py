"""The portal's forms: field shapes only; the rules live in ``portal.services``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import services
from portal.models import Rating


class CheckForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=30,
        help_text=_("On your receipt, e.g. TD-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "placeholder": "TD-2026-000123"}),
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=20,
        help_text=_("The 10-character code on your receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "placeholder": "ABCDE-FGHJK"}),
    )

    def clean_reference(self):
        return services.normalise_reference(self.cleaned_data["reference"])


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=services.MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hand_back = forms.BooleanField(
        label=_("This answers everything my officer asked for"),
        required=False,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class RatingForm(forms.Form):
    SCORES = list(Rating.SCALE.items())  # 非常满意 … 非常不满意, best first
    score = forms.TypedChoiceField(label=_("How was our service?"), choices=SCORES, coerce=int,
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              max_length=services.MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3}))


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, under the fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the request?"),
        max_length=services.MAX_WITHDRAW_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw this request. I understand the case will be closed."))
