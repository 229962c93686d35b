"""Form fields for a talent's data, shared by the staff pages and the portal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talents.regions import normalise_region_code, region_choices


def _choices():
    return [("", "—"), *region_choices()]


class NationalityField(forms.ChoiceField):
    """国籍（地区）: a picker of every country and region (China and its regions first),
    named in the reader's language; the value is the stored ISO 3166 code. A typed code in
    any case (``hk``) is accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Nationality (region)"))
        kwargs.setdefault("help_text", _("Hong Kong, Macao and Taiwan residents: choose 中国香港, "
                                         "中国澳门 or 中国台湾."))
        # A callable: the names are made in the language active when the form is shown.
        super().__init__(choices=_choices, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "Choose a country or region from the list (ISO 3166 two-letter code, e.g. GB, HK).")

    def to_python(self, value):
        return normalise_region_code(super().to_python(value))
