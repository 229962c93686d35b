"""``{{ text|mask_documents:ticket.talent.document_number }}``: the one masker
(``core.masking``) in templates. The result is plain text, escaped as usual."""

from django import template

from core.masking import mask_documents as _mask

register = template.Library()


@register.filter
def mask_documents(text, known=""):
    return _mask(str(text) if text is not None else "", [known] if known else [])
