"""Filters and ordering of ``GET /api/v1/tickets/`` (django-filter).

A bad filter value answers 400 naming the parameter; nothing reaches the database that
it could choke on (ids are bounded, dates are checked, text is length-limited).
"""

from __future__ import annotations

from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.fields import MAX_ID
from core import clock
from flows.registry import category_choices
from tickets.models import PRIORITY_RANK, Channel, Priority, Ticket

ORDERINGS = ("created_at", "-created_at", "due_at", "-due_at", "priority", "-priority")


class IdFilter(filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time (or date) within years 1900–9000, so that converting it to
    UTC can never overflow."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(_("Enter a valid date/time."), code="invalid") from None
        if result is not None and not 1900 <= result.year <= 9000:
            raise forms.ValidationError(_("Enter a date between the years 1900 and 9000."))
        return result


class BoundedDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class AssigneeField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip().lower()
        if value in ("", "me", "none") or (value.isdigit() and 1 <= int(value) <= MAX_ID):
            return value
        raise forms.ValidationError(_("Give an officer id, “me” or “none”."), code="invalid")


class AssigneeFilter(filters.CharFilter):
    field_class = AssigneeField


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0); anything else is an error, not a silent "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # not django-filter's, which turns junk into "no filter"
        super().__init__(*args, **kwargs)


def _priority_rank():
    """Severity, not the alphabet: low < normal < high < urgent."""
    return Case(
        *(When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )


class TicketFilter(filters.FilterSet):
    state = filters.CharFilter(max_length=40, help_text="A workflow state id, e.g. `new`.")
    category = filters.ChoiceFilter(choices=category_choices)
    channel = filters.ChoiceFilter(choices=Channel.choices)
    priority = filters.ChoiceFilter(choices=Priority.choices)
    assignee = AssigneeFilter(
        method="filter_assignee", max_length=20,
        help_text="An officer id, `me` (your tickets) or `none` (unassigned).",
    )
    window = IdFilter(field_name="window_id", help_text="A window id.")
    talent = IdFilter(field_name="talent_id", help_text="A talent id.")
    overdue = StrictBooleanFilter(
        method="filter_overdue", help_text="`true`: active tickets past their next due time."
    )
    created_after = BoundedDateTimeFilter(
        field_name="created_at", lookup_expr="gte",
        help_text="ISO 8601; without a zone, the server's time zone (Asia/Shanghai).",
    )
    created_before = BoundedDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = filters.CharFilter(
        method="filter_text", max_length=100,
        help_text="Text in the reference, the subject or the talent's name.",
    )
    ordering = filters.ChoiceFilter(
        method="filter_ordering", choices=[(o, o) for o in ORDERINGS], empty_label=None,
        help_text="`created_at`, `due_at` (next due time) or `priority` (by severity); "
        "`-` for descending. Default `-created_at`.",
    )

    class Meta:
        model = Ticket
        fields: list = []

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            officer = getattr(self.request.user, "officer", None)
            return queryset.filter(assignee=officer) if officer else queryset.none()
        return queryset.filter(assignee_id=int(value))

    def filter_overdue(self, queryset, name, value):
        now = clock.now()
        if value:
            return queryset.overdue(now)
        return queryset.exclude(
            resolved_at__isnull=True, closed_at__isnull=True, due_at__lt=now
        )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(subject__icontains=value)
            | Q(talent__native_name__icontains=value)
            | Q(talent__latin_name__icontains=value)
        )

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied in ``filter_queryset`` so that the default applies too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return order(queryset, self.form.cleaned_data.get("ordering") or "-created_at")


def order(queryset, ordering: str):
    """A total order: the key, then the creation time and the id as tie-breakers, all in
    the key's direction — pages never repeat or skip a row, and ``-key`` is exactly the
    reverse of ``key`` (rows without a value stay last either way)."""
    descending = ordering.startswith("-")
    key = ordering.lstrip("-")
    if key == "priority":
        queryset = queryset.annotate(priority_rank=_priority_rank())
        key = "priority_rank"
    keys = [key] if key == "created_at" else [key, "created_at"]
    expressions = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in keys
    ]
    return queryset.order_by(*expressions, "-id" if descending else "id")
