"""Guidance: which category a free-text request is about (the same service as the portal
and the intake pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.base import ApiView, StrictSerializer
from api.errors import error_responses
from guidance.services import CONFIDENT_SCORE, MIN_SUGGESTIONS, guidance_suggest
from guidance.text import MAX_CHARS

TAG = ["guidance"]


class SuggestInputSerializer(StrictSerializer):
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False,
        help_text=f"The request in the person's words: Simplified or Traditional Chinese or English, "
                  f"at most {MAX_CHARS} characters. HTML is read as its text.",
    )
    language = serializers.ChoiceField(
        choices=["zh-hans", "zh-hant", "en"], required=False,
        help_text="Language of names, materials and reasons; default: the Accept-Language one.",
    )
    limit = serializers.IntegerField(
        min_value=MIN_SUGGESTIONS, max_value=20, required=False, default=MIN_SUGGESTIONS,
        help_text="How many categories to return (at least three).",
    )


class SuggestedMaterialSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    hint = serializers.CharField(help_text="Empty when the workflow gives none.")


class SuggestionSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="The workflow key, e.g. `schooling`.")
    score = serializers.FloatField(min_value=0, max_value=1,
                                   help_text="Probability; the scores of all categories sum to at most 1.")
    name = serializers.CharField()
    why = serializers.ListField(child=serializers.CharField(),
                                help_text="The words of the request that weighed most for this category.")
    materials = SuggestedMaterialSerializer(many=True)
    expected_days = serializers.IntegerField(help_text="Working days a normal request takes to resolve.")
    first_response_hours = serializers.FloatField(help_text="Working hours to a first answer.")


class SuggestOutputSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True, help_text="Best first.")
    confident = serializers.BooleanField(
        help_text=f"False when the first suggestion scores under {CONFIDENT_SCORE}: ask the person.")


class GuidanceSuggestView(ApiView):
    @extend_schema(
        operation_id="guidance_suggest",
        summary="Rank the categories for a free-text request",
        description="Staff only. Suggestions advise; the person (or clerk) chooses the category.",
        tags=TAG,
        request=SuggestInputSerializer,
        responses={200: SuggestOutputSerializer, **error_responses(400, 403)},
        examples=[OpenApiExample("Traditional Chinese", request_only=True,
                                 value={"text": "想把香港駕照換成內地的", "language": "zh-hant"})],
    )
    def post(self, request):
        given = SuggestInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            suggestions = guidance_suggest(text=data["text"], language=data.get("language"),
                                           limit=data["limit"])
        except ValidationError as error:
            raise serializers.ValidationError({"text": error.messages}) from None
        body = {"suggestions": suggestions, "confident": bool(suggestions) and suggestions[0].confident}
        return Response(SuggestOutputSerializer(body).data)
