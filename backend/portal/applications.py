"""Online applications (网上申报): who applies, what they ask, and the ticket it becomes.

The portal's ``/status/apply/`` pages call these; the rules are here:

* ``talent_for_phone`` — the talent whose phone on record is the number just proven by a
  one-time code (``portal.phone_codes``); only then is anything of a record shown.
* ``registration_match`` — a new applicant's document that is already registered: the
  existing record is used (never a second talent). When its phone is not the one proven,
  nothing of it is shown: the ticket is opened on it, its reference and access code go
  only to the contact details on record, and staff see an internal note.
* ``application_submit`` — ``ticket_open`` on the online channel with the system user as
  actor and the form's token as idempotency key (a double submit opens one ticket), the
  guidance choice recorded, related open tickets of the same category recorded when the
  talent opened anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from centres.models import ServiceCentre
from core.masking import mask_documents
from core.system import system_user
from guidance.services import guidance_choice_record
from portal.phone_codes import phone_variants
from prereview import related
from prereview.related import related_record
from talents.models import Talent, mask_phone, normalise_document_number
from tickets.models import Channel, EventKind, Ticket
from tickets.services import OpenedTicket, ticket_log, ticket_open

SUBJECT_LENGTH = 80
NEW_TALENT_FIELDS = ("native_name", "latin_name", "nationality", "document_type", "document_number",
                     "phone", "email", "preferred_language")


@dataclass(frozen=True)
class Submitted:
    ticket: Ticket
    access_code: str | None  # None on a repeated submission, and when not disclosed
    created: bool
    disclosed: bool  # False: the record's phone was not proven; details went to the record


def talent_for_phone(phone: str) -> Talent | None:
    """The most recently registered talent with ``phone`` (normalised) on record."""
    return (Talent.objects.filter(phone__in=phone_variants(phone))
            .order_by("-created_at", "-pk").first())


def registration_match(*, document_type: str, document_number: str) -> Talent | None:
    """The talent already registered with this document, if any."""
    number = normalise_document_number(document_number)
    if not number:
        return None
    return Talent.objects.filter(document_type=document_type, document_number=number).first()


def online_centre(talent: Talent | None) -> ServiceCentre | None:
    """Where an online application goes: the talent's home centre, their dedicated
    officer's centre, else ``TALENTDESK_ONLINE_CENTRE`` (a code), else the first centre."""
    if talent is not None and talent.centre_id:
        return talent.centre
    if talent is not None and talent.dedicated_officer_id:
        return talent.dedicated_officer.centre
    code = settings.TALENTDESK_ONLINE_CENTRE
    centres = ServiceCentre.objects.order_by("code")
    return (centres.filter(code=code).first() if code else None) or centres.first()


def subject_from(description: str) -> str:
    """The ticket's subject: the request's first line, shortened."""
    first = next((line.strip() for line in (description or "").splitlines() if line.strip()), "")
    return first if len(first) <= SUBJECT_LENGTH else first[:SUBJECT_LENGTH - 1] + "…"


def open_duplicates(*, talent_id: int | None, category: str) -> list[Ticket]:
    """The talent's open tickets of ``category`` (the one rule, ``prereview.related``)."""
    if talent_id is None:
        return []
    return related.open_duplicates(talent_id=talent_id, category=category, scope=Ticket.objects.all())


def idempotency_key(token: str) -> str:
    return f"portal-apply:{token}"


def already_submitted(token: str) -> bool:
    """Whether the form with ``token`` already opened its ticket (a double submit)."""
    return Ticket.objects.filter(created_by=system_user(), client_token=idempotency_key(token)).exists()


@transaction.atomic
def application_submit(*, category: str, description: str, token: str, suggested: Sequence[str] = (),
                       talent: Talent | None = None, new_talent: dict | None = None,
                       unproven_phone: str = "") -> Submitted:
    """Open the ticket of an online application.

    ``talent`` is the applicant's record (proven phone, or the record their document
    matched — then ``unproven_phone`` is the phone they proved, which is not the one on
    record); ``new_talent`` the fields of a new registration. Raises ``ValidationError``
    naming the field (the ticket's or the talent's) and stores nothing then.

    Side effects: the ticket (and the new talent) with its opening notices — which carry
    the reference and access code to the talent's phone and e-mail on record —, the
    guidance choice, an internal note naming the talent's related tickets, and for an
    unproven phone an internal note for staff to check who applied.
    """
    centre = online_centre(talent)
    actor = system_user()
    opened: OpenedTicket = ticket_open(
        actor=actor, category=category, channel=Channel.ONLINE, subject=subject_from(description),
        description=description, talent=talent, new_talent=new_talent, centre=centre,
        idempotency_key=idempotency_key(token),
    )
    ticket = opened.ticket
    if opened.created:
        guidance_choice_record(ticket=ticket, suggested=suggested, actor=None)
        related_record(ticket=ticket, actor=actor)
        if unproven_phone:
            ticket_log(ticket=ticket, kind=EventKind.NOTE, actor=actor, public=False,
                       body=_("Applied online from the phone %(phone)s, which is not the phone on record: "
                              "please check who applied.") % {"phone": mask_phone(unproven_phone)})
    disclosed = not unproven_phone
    return Submitted(ticket=ticket, access_code=opened.access_code if disclosed else None,
                     created=opened.created, disclosed=disclosed)


def masked_subject(ticket: Ticket) -> str:
    return mask_documents(ticket.subject, [ticket.talent.document_number])
