"""Input and output shapes of the ticket endpoints (one small serializer per operation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.base import StrictModelSerializer, StrictSerializer
from api.fields import (
    AnyValueField,
    CentreRefSerializer,
    MaskedTextField,
    ObjectIdField,
    OfficerRefSerializer,
    TalentRefSerializer,
    TextField,
    UserRefSerializer,
    WindowRefSerializer,
)
from centres.models import Window
from flows.registry import category_choices
from prereview.models import Verdict
from prereview.presenters import as_api
from staff.models import Officer, role_of
from talents.models import Talent
from talents.services import EDITABLE_FIELDS
from tickets.models import Channel, EventKind, MaterialStatus, Priority
from tickets.services import MAX_BODY, MAX_SUBJECT

# What a client may read but never write: sending any of these is a 400 naming it.
TICKET_SERVER_OWNED = (
    "id", "reference", "state", "state_label", "final", "assignee", "centre", "workflow_version",
    "created_at", "updated_at", "first_response_at", "resolved_at", "closed_at",
    "first_response_due", "resolution_due", "next_due", "due_at", "sla_provisional", "sla_paused",
    "first_response_met", "resolution_met", "access_code", "access_code_hash", "status_url",
    "created_by", "client_token", "client_digest", "materials", "allowed_actions",
    "category_name", "fast_track",
)
TALENT_SERVER_OWNED = ("id", "display_name", "masked_document", "created_at")


# --- answers -----------------------------------------------------------------------------------


class FastTrackSerializer(serializers.Serializer):
    rule = serializers.CharField()
    reason = serializers.CharField()
    first_response_hours = serializers.FloatField()
    resolution_days = serializers.IntegerField()


class TicketSerializer(serializers.Serializer):
    """A ticket in a list: who, what, where it stands and when it is due."""

    reference = serializers.CharField()
    state = serializers.CharField(help_text="The workflow state id (see /workflows/{key}/).")
    state_label = serializers.SerializerMethodField()
    final = serializers.SerializerMethodField()
    category = serializers.CharField()
    category_name = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    subject = MaskedTextField(help_text="Document numbers inside are masked.")
    talent = TalentRefSerializer()
    assignee = OfficerRefSerializer(allow_null=True)
    window = WindowRefSerializer(allow_null=True)
    centre = CentreRefSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    next_due = serializers.DateTimeField(
        source="due_at", allow_null=True,
        help_text="The nearest due time still pending (what `ordering=due_at` sorts by).",
    )
    sla_provisional = serializers.BooleanField(
        help_text="True when the due times were computed without the year's holiday calendar."
    )
    sla_paused = serializers.SerializerMethodField()
    fast_track = serializers.SerializerMethodField(
        help_text="The workflow's fast-track rule behind shorter targets (the reason, in the "
                  "request's language, and the targets), or null."
    )

    def get_state_label(self, ticket) -> str:
        return str(ticket.state_definition.label)

    def get_final(self, ticket) -> bool:
        return ticket.is_final

    def get_category_name(self, ticket) -> str:
        return str(ticket.workflow.name)

    def get_sla_paused(self, ticket) -> bool:
        return ticket.sla_paused_at is not None

    @extend_schema_field(FastTrackSerializer(allow_null=True))
    def get_fast_track(self, ticket) -> dict | None:
        rule = ticket.fast_track_rule
        if rule is None:
            return None
        target = ticket.workflow.sla_target(ticket.priority, ticket.fast_track)
        return {"rule": rule.id, "reason": str(rule.label),
                "first_response_hours": target.first_response_hours,
                "resolution_days": target.resolution_days}


class PrereviewCheckSerializer(serializers.Serializer):
    check = serializers.CharField(help_text="`readable`, `kind`, `pages`, `resolution`, `blank`, "
                                  "`sharpness`, `text`, `mrz`, `record`, `name`, `document_number`, `validity`, `school_age`.")
    outcome = serializers.ChoiceField(choices=["pass", "warn", "fail", "skipped"],
                                      help_text="`skipped`: the check could not run (it never blocks).")
    reason = TextField()


class PrereviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Verdict.choices)
    checks = PrereviewCheckSerializer(many=True)
    fields = serializers.DictField(child=serializers.CharField(allow_null=True),
                                   help_text="Captured from a passport's machine-readable zone; "
                                   "the document number is masked.")
    attachment = serializers.UUIDField(allow_null=True, help_text="The file that was checked.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class MaterialSerializer(serializers.Serializer):
    material_id = serializers.CharField()
    label = serializers.SerializerMethodField()
    required = serializers.BooleanField()
    status = serializers.ChoiceField(choices=MaterialStatus.choices)
    reason = serializers.CharField()
    requested = serializers.BooleanField(
        help_text="Ticked in the latest request for materials (what the talent is asked for)."
    )
    updated_at = serializers.DateTimeField()
    prereview = serializers.SerializerMethodField(
        help_text="The pre-review of the newest file uploaded for this material (advice for the "
        "officer, who receives or rejects); null when nothing was uploaded."
    )

    @extend_schema_field(TextField())
    def get_label(self, material) -> dict:
        return {"zh": material.label_zh, "en": material.label_en}

    @extend_schema_field(PrereviewSerializer(allow_null=True))
    def get_prereview(self, material) -> dict | None:
        reviews = material.prereviews.all()  # prefetched newest first by the views
        return as_api(reviews[0] if reviews else None)


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language.")
    target = serializers.CharField()
    comment_required = serializers.BooleanField()
    requires_materials = serializers.BooleanField()

    def to_representation(self, transition):
        return {
            "action": transition.action,
            "label": str(transition.label),
            "target": transition.target,
            "comment_required": transition.comment_required,
            "requires_materials": transition.requires_materials,
        }


class TicketDetailSerializer(TicketSerializer):
    description = MaskedTextField(help_text="Document numbers inside are masked.")
    version = serializers.CharField(
        help_text="Changes with every change of the ticket; send it back with an assignment "
                  "to be refused (409) rather than overwrite a newer change."
    )
    workflow_version = serializers.IntegerField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    first_response_met = serializers.BooleanField(allow_null=True)
    resolution_met = serializers.BooleanField(allow_null=True)
    materials = MaterialSerializer(many=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="The workflow actions the requesting user's role may take now."
    )

    @extend_schema_field(ActionSerializer(many=True))
    def get_allowed_actions(self, ticket) -> list:
        role = role_of(self.context["request"].user)
        return ActionSerializer(ticket.workflow.actions_for(ticket.state, role), many=True).data


class TicketCreatedSerializer(TicketDetailSerializer):
    access_code = serializers.CharField(
        allow_null=True,
        help_text=(
            "The talent's secret code for the status page. Only in the answer that opened the "
            "ticket; null when the same Idempotency-Key and body are sent again."
        ),
    )
    status_url = serializers.CharField(help_text="A signed link to the talent's status page.")


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    public = serializers.BooleanField(help_text="Public events are what the talent sees.")
    by_talent = serializers.BooleanField()
    actor = UserRefSerializer(allow_null=True)
    action = serializers.CharField()
    body = MaskedTextField(help_text="Document numbers inside are masked.")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    data = serializers.DictField(child=AnyValueField())
    created_at = serializers.DateTimeField()


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = AnyValueField(allow_null=True)
    new = AnyValueField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = UserRefSerializer(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    object = serializers.CharField(help_text="`ticket` or `material:<material_id>`.")
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changes = ChangeSerializer(many=True)


# --- requests ----------------------------------------------------------------------------------


class NewTalentSerializer(StrictModelSerializer):
    """A talent registered together with the ticket (validated by ``talents.services``)."""

    server_owned = TALENT_SERVER_OWNED
    dedicated_officer = ObjectIdField(
        queryset=Officer.objects.all(), required=False, allow_null=True,
        unknown_message=_("Unknown officer."), help_text="The dedicated officer's id.",
    )

    class Meta:
        model = Talent
        fields = EDITABLE_FIELDS
        # Uniqueness of the document is the service's rule (it names the field); no copy here.
        validators: list = []


class TicketCreateSerializer(StrictSerializer):
    server_owned = TICKET_SERVER_OWNED

    talent = ObjectIdField(
        queryset=Talent.objects.all(), required=False, unknown_message=_("Unknown talent."),
        help_text="An existing talent's id. Give either `talent` or `new_talent`.",
    )
    new_talent = NewTalentSerializer(
        required=False, help_text="A talent to register with the ticket, instead of `talent`."
    )
    category = serializers.ChoiceField(choices=[])
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=MAX_SUBJECT)
    description = serializers.CharField(required=False, allow_blank=True, max_length=MAX_BODY)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    window = ObjectIdField(
        queryset=Window.objects.select_related("centre"), required=False, allow_null=True,
        unknown_message=_("Unknown window."),
        help_text="The window handling the ticket; by default the routing decides within your centre.",
    )
    materials_received = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50,
        help_text="Ids of the category's materials handed over at opening.",
    )
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False,
        help_text="Open the ticket although the talent already has an open ticket of this "
        "category. Without it such a request is answered 409 with the open tickets and nothing "
        "is opened; with it the new ticket is opened and the related tickets are noted on it.",
    )
    guidance_suggested = serializers.ListField(
        child=serializers.ChoiceField(choices=[]), required=False, max_length=20,
        help_text="The categories `POST /api/v1/guidance/suggest/` suggested (best first) before "
                  "`category` was chosen: recorded with the ticket (suggested, chosen, corrected), "
                  "as the intake pages and the portal do.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Categories are data (workflow files), read when the serializer is made.
        self.fields["category"].choices = category_choices()
        self.fields["guidance_suggested"].child.choices = category_choices()
        # Only a talent in the caller's directory: another centre's talent is "unknown"
        # until found by their whole document number.
        request = self.context.get("request")
        self.fields["talent"].queryset = Talent.objects.visible_to(request.user if request else None)

    def to_internal_value(self, data):
        # Checked alongside the field errors, so that one answer names every problem.
        errors, value = {}, None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            errors = dict(detail) if isinstance(detail, dict) else {"non_field_errors": detail}
        one_talent = not isinstance(data, dict) or ("talent" in data) != ("new_talent" in data)
        if not one_talent and not {"talent", "new_talent"} & set(errors):
            errors["talent"] = [_("Give either an existing talent's id or a new talent, not both.")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class TransitionSerializer(StrictSerializer):
    server_owned = TICKET_SERVER_OWNED
    action = serializers.CharField(max_length=40, help_text="A workflow action id.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    requested = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50,
        help_text="With `request_materials` only: the material ids asked for — the talent is "
                  "asked for exactly these (each material's `requested`); without it, for "
                  "everything missing.",
    )


class AssignSerializer(StrictSerializer):
    assignee = ObjectIdField(
        queryset=Officer.objects.all(), allow_null=True, unknown_message=_("Unknown officer."),
        help_text="The officer's id, or null to return the ticket to the queue.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    version = serializers.RegexField(
        r"^[0-9]{1,20}$", required=False, max_length=20,
        help_text="The ticket's `version` you decided on: if the ticket changed since, the "
                  "answer is 409 and nothing changes.",
    )
    confirm_missing_skill = serializers.BooleanField(
        required=False, default=False,
        help_text="Required (true) when the officer has none of the ticket's category skills; "
                  "without it the answer is 400 on `confirm_missing_skill` and nothing changes.",
    )


class CommentSerializer(StrictSerializer):
    body = serializers.CharField()
    public = serializers.BooleanField(
        default=False, help_text="True: a reply the talent sees; false: an internal note."
    )


class MaterialUpdateSerializer(StrictSerializer):
    """A partial update: the new status, the reason, or both (status unchanged if absent)."""

    server_owned = ("material_id", "label", "required", "requested", "updated_at")
    status = serializers.ChoiceField(choices=MaterialStatus.choices, required=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required when rejecting."
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"status": [_("Give a status, a reason or both.")]})
        return attrs


class DuplicateTicketSerializer(serializers.Serializer):
    reference = serializers.CharField()
    category = serializers.CharField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()


class DuplicateWarningSerializer(serializers.Serializer):
    """The 409 of ``POST /tickets/`` for an unconfirmed duplicate: built from the list of
    the talent's open tickets of the category (``prereview.related.open_duplicates``)."""

    detail = serializers.CharField()
    duplicates = DuplicateTicketSerializer(many=True, help_text="The open tickets, newest first.")

    def to_representation(self, duplicates):
        references = ", ".join(ticket.reference for ticket in duplicates)
        return {
            "detail": _("This talent already has an open ticket of this category (%(references)s). "
                        "Send “confirm_duplicate”: true to open another one anyway.")
            % {"references": references},
            "duplicates": DuplicateTicketSerializer(duplicates, many=True).data,
        }
