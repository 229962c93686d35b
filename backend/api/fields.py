"""Small serializer fields shared by the API's input and output serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.masking import mask_documents

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class ObjectIdField(serializers.Field):
    """An object given by its integer id: ``{"talent": 42}`` → the Talent, or a 400 naming
    the field ("Unknown talent."). Strings, floats and booleans are refused, not coerced."""

    default_error_messages = {
        "invalid": _("Give the id as a whole number."),
        "unknown": _("No such object."),
    }

    def __init__(self, *, queryset, unknown_message=None, **kwargs):
        self.queryset = queryset
        if unknown_message:
            kwargs["error_messages"] = {"unknown": unknown_message, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= MAX_ID:
            self.fail("invalid")
        obj = self.queryset.filter(pk=data).first()
        if obj is None:
            self.fail("unknown")
        return obj

    def to_representation(self, value):
        return value.pk


@extend_schema_field(
    {
        "type": "object",
        "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
        "required": ["zh", "en"],
    }
)
class TextField(serializers.Field):
    """A bilingual ``flows.definitions.Text`` as ``{"zh": …, "en": …}``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.as_dict()


@extend_schema_field(OpenApiTypes.ANY)
class AnyValueField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value


class OfficerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")


class WindowRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class CentreRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class TalentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()
    masked_document = serializers.CharField(help_text="The document number, masked (E1****78).")


class UserRefSerializer(serializers.Serializer):
    """A user as people know them: the officer's display name, else the user name."""

    id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        officer = getattr(user, "officer", None)
        return officer.display_name if officer is not None else user.get_username()


class MaskedTextField(serializers.CharField):
    """Free text as readers get it: document numbers masked by the one masker
    (``core.masking``), the ticket's talent's own number however it is written."""

    def get_attribute(self, instance):
        talent = getattr(instance, "talent", None)
        if talent is None:  # a timeline event: its ticket's talent
            talent = getattr(getattr(instance, "ticket", None), "talent", None)
        self._known = [talent.document_number] if talent is not None else []
        return super().get_attribute(instance)

    def to_representation(self, value):
        return mask_documents(super().to_representation(value), getattr(self, "_known", []))
