"""Knowledge services: supervisors write articles and templates (every edit kept with the
editor and the reason); officers answer a ticket with one, in the talent's script, and the
ticket records which article or template answered it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from flows.registry import current_workflows
from knowledge.models import SCRIPTS, Article, ArticleUse, ReplyTemplate, Script
from knowledge.rendering import plain_text
from staff.models import role_of
from staff.permissions import SUPERVISING_ROLES
from talents.models import Language, Origin
from tickets.services import ticket_comment

ARTICLE_FIELDS = (
    "key", "category", *(f"{p}_{s}" for s in SCRIPTS for p in ("title", "body")),
    "source", "effective_from", "expires_on", "published",
)
TEMPLATE_FIELDS = ("key", "category", "title_zh_hans", "title_en", "body_zh_hans", "body_zh_hant", "body_en",
                   "active")
TRADITIONAL_ORIGINS = {Origin.HONG_KONG, Origin.MACAO, Origin.TAIWAN}


def may_edit(user) -> bool:
    return role_of(user) in SUPERVISING_ROLES


def script_for(talent) -> str:
    """The script a talent reads: English if they chose it; traditional characters for
    talents from Hong Kong, Macao and Taiwan; simplified otherwise."""
    if talent.preferred_language == Language.EN:
        return Script.EN
    if talent.origin in TRADITIONAL_ORIGINS:
        return Script.ZH_HANT
    return Script.ZH_HANS


def _check(obj, *, fields, actor, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, str):
            setattr(obj, name, value.strip())
    if obj.category and obj.category not in current_workflows():
        errors["category"] = [_("Unknown category “%(value)s”.") % {"value": obj.category}]
    if isinstance(obj, Article) and obj.expires_on and obj.effective_from and obj.expires_on < obj.effective_from:
        errors["expires_on"] = [_("The expiry date is before the date the article comes into force.")]
    try:
        obj.full_clean(exclude=["updated_by", "updated_at"], validate_unique=True)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    obj.updated_by = actor
    obj.updated_at = clock.now()
    obj._history_user = actor
    obj._history_date = obj.updated_at
    obj._change_reason = (reason or "").strip()[:100]


def _save(model, fields, *, actor, instance, reason: str, values: dict):
    if not may_edit(actor):
        raise ActionForbidden()
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    obj = model.objects.select_for_update().get(pk=instance.pk) if instance is not None else model()
    for name, value in values.items():
        setattr(obj, name, value)
    _check(obj, fields=fields, actor=actor, reason=reason or (_("edited") if instance else _("written")))
    obj.save()
    return obj


@transaction.atomic
def article_save(*, actor, article: Article | None = None, reason: str = "", **values) -> Article:
    """Write a new article or change one (supervisors and administrators). Every field is
    checked and named on error; the edit is kept in the history with its reason."""
    return _save(Article, ARTICLE_FIELDS, actor=actor, instance=article, reason=reason, values=values)


@transaction.atomic
def template_save(*, actor, template: ReplyTemplate | None = None, reason: str = "", **values) -> ReplyTemplate:
    """Write a new reply template or change one (supervisors and administrators)."""
    return _save(ReplyTemplate, TEMPLATE_FIELDS, actor=actor, instance=template, reason=reason, values=values)


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def reply_text(*, ticket, article: Article | None = None, template: ReplyTemplate | None = None) -> str:
    """The reply an article or template gives, in the talent's script."""
    script = script_for(ticket.talent)
    if template is not None:
        return template.body(script).format_map(
            _Blank(name=ticket.talent.display_name, reference=ticket.reference)
        )
    source = {Script.ZH_HANS: "依据", Script.ZH_HANT: "依據", Script.EN: "Source"}[script]
    text = f"{article.title(script)}\n\n{plain_text(article.body(script))}"
    if article.source:
        text += f"\n\n{source}: {article.source}"
    return text


def knowledge_source(article_key: str = "", template_key: str = "") -> dict:
    """The article or template named by key, as ``knowledge_reply`` arguments ({} for
    none); an unknown key is a bad input naming its field."""
    if article_key:
        article = Article.objects.filter(key=article_key).first()
        if article is None:
            raise ValidationError({"article": [_("Unknown article “%(value)s”.") % {"value": article_key}]})
        return {"article": article}
    if template_key:
        template = ReplyTemplate.objects.filter(key=template_key, active=True).first()
        if template is None:
            raise ValidationError({"template": [_("Unknown reply template “%(value)s”.") % {"value": template_key}]})
        return {"template": template}
    return {}


@transaction.atomic
def knowledge_reply(*, ticket, actor, body: str, article: Article | None = None,
                    template: ReplyTemplate | None = None):
    """Send a public reply built from an article or template (the officer may have edited
    the text) and record that it answered the ticket. Returns the timeline event."""
    event = ticket_comment(ticket=ticket, actor=actor, body=body, public=True)
    if article is not None or template is not None:
        ArticleUse.objects.create(
            ticket=ticket, article=article, template=template, event=event,
            script=script_for(ticket.talent), used_by=actor, used_at=event.created_at,
        )
    return event
