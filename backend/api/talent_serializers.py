"""Talent answers (document number always masked) and requests (validated by the service)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.base import StrictModelSerializer, StrictSerializer
from api.fields import OfficerRefSerializer
from api.ticket_serializers import TALENT_SERVER_OWNED, NewTalentSerializer
from talents.models import DocumentType, Language, Origin, Tier


class TalentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    native_name = serializers.CharField()
    latin_name = serializers.CharField()
    nationality = serializers.CharField(
        help_text="Nationality (region), 国籍（地区）: the ISO 3166-1 alpha-2 code of the country "
                  "or region; HK, MO and TW are 中国香港, 中国澳门 and 中国台湾.",
    )
    nationality_name = serializers.CharField(
        help_text="The country or region named in the request's language (中国香港, United Kingdom).",
    )
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    masked_document = serializers.CharField(
        help_text="The document number, masked. POST …/reveal/ shows it in full (audited)."
    )
    birth_date = serializers.DateField(
        allow_null=True, help_text="Personal data: in full here, the year alone in lists.")
    phone = serializers.CharField()
    email = serializers.CharField()
    preferred_language = serializers.ChoiceField(choices=Language.choices)
    origin = serializers.ChoiceField(
        choices=Origin.choices,
        help_text="Hong Kong, Macao, Taiwan, foreign, returning Chinese or domestic "
                  "(given at registration, else from the nationality).",
    )
    tier = serializers.ChoiceField(choices=Tier.choices)
    employer = serializers.CharField()
    key_industry = serializers.CharField()
    dedicated_officer = OfficerRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class TalentListSerializer(TalentSerializer):
    """A row of the directory: phone and e-mail masked (the talent's own answer has them)."""

    phone = None
    email = None
    birth_date = None
    masked_birth_date = serializers.CharField(help_text="The birth year only (1985-**-**); empty when unknown.")
    masked_phone = serializers.CharField(help_text="The phone, masked (*******1234).")
    masked_email = serializers.CharField(help_text="The e-mail, masked (a***@example.org).")


class TalentCreateSerializer(NewTalentSerializer):
    """All of a talent's editable fields; the service names what is wrong."""


class TalentUpdateSerializer(StrictModelSerializer):
    server_owned = TALENT_SERVER_OWNED
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Why; kept in the history."
    )

    class Meta(NewTalentSerializer.Meta):
        fields = (*NewTalentSerializer.Meta.fields, "reason")

    def validate(self, attrs):
        if not set(attrs) - {"reason"}:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give at least one field to change.")]}
            )
        return attrs


class RevealSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=200, help_text="Why you need the full number.")
    ticket = serializers.CharField(
        required=False, max_length=20,
        help_text="The reference of the ticket you are working on (recorded on its timeline).",
    )


class RevealedSerializer(serializers.Serializer):
    document_number = serializers.CharField()
