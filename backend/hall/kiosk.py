"""The kiosk's form: a line, and optionally who you are (phone number or the reference on
a previous receipt). A talent is recognised only by an exact match; nothing about them
is ever shown on the kiosk."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.models import ServiceLine
from talents.models import Talent
from tickets.models import Ticket

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
REFERENCE = re.compile(r"^TD-\d{4}-\d{6}$")


class KioskForm(forms.Form):
    line = forms.ModelChoiceField(queryset=ServiceLine.objects.none(), label=_("Matter"),
                                  error_messages={"required": _("Choose your matter."),
                                                  "invalid_choice": _("Choose your matter.")})
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=20,
                              help_text=_("e.g. TD-2026-000123"))

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = ServiceLine.objects.filter(centre=centre, is_active=True)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number with digits only."))
        return re.sub(r"[ -]", "", phone)

    def clean_receipt(self) -> str:
        receipt = self.cleaned_data["receipt"].strip().upper()
        if receipt and not REFERENCE.match(receipt):
            raise forms.ValidationError(_("Enter the number printed on your receipt, e.g. TD-2026-000123."))
        return receipt

    def clean(self):
        data = super().clean()
        talent = None
        if data.get("receipt"):
            ticket = Ticket.objects.select_related("talent").filter(reference=data["receipt"]).first()
            talent = ticket.talent if ticket else None
        if talent is None and data.get("phone"):
            matches = list(Talent.objects.filter(phone=data["phone"])[:2])
            talent = matches[0] if len(matches) == 1 else None
        data["talent"] = talent
        return data
