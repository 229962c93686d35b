"""The kiosk's form: a line, and optionally who you are (phone number, or a previous
receipt: its reference typed or its QR code scanned). A talent is recognised only by an exact match; nothing about them
is ever shown on the kiosk."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.models import ServiceLine
from talents.models import Talent
from tickets.links import ticket_from_token
from tickets.models import Ticket

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
REFERENCE = re.compile(r"^TD-\d{4}-\d{6}$")
STATUS_LINK = "/status/l/"  # the portal's signed status links, as printed in receipts' QR codes


class KioskForm(forms.Form):
    line = forms.ModelChoiceField(queryset=ServiceLine.objects.none(), label=_("Matter"),
                                  error_messages={"required": _("Choose your matter."),
                                                  "invalid_choice": _("Choose your matter.")})
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=600,
                              help_text=_("e.g. TD-2026-000123, or scan the receipt's QR code"))

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = ServiceLine.objects.filter(centre=centre, is_active=True)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number with digits only."))
        return re.sub(r"[ -]", "", phone)

    def clean_receipt(self):
        """The reference typed, or the receipt's QR code read by the kiosk's scanner (which
        types the signed status link): a ticket, or None when the field is empty."""
        receipt = self.cleaned_data["receipt"].strip()
        if not receipt:
            return None
        if REFERENCE.match(receipt.upper()):
            return Ticket.objects.select_related("talent").filter(reference=receipt.upper()).first()
        if STATUS_LINK in receipt:
            token = receipt.split(STATUS_LINK, 1)[1].strip("/ ")
            ticket = ticket_from_token(token)
            if ticket is not None:
                return ticket
            raise forms.ValidationError(_("This receipt's code has expired or was replaced: type its number instead."))
        raise forms.ValidationError(_("Enter the number printed on your receipt, e.g. TD-2026-000123."))

    def clean(self):
        data = super().clean()
        talent = None
        if data.get("receipt"):
            talent = data["receipt"].talent
        if talent is None and data.get("phone"):
            matches = list(Talent.objects.filter(phone=data["phone"])[:2])
            talent = matches[0] if len(matches) == 1 else None
        data["talent"] = talent
        return data
