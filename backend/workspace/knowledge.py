"""Staff pages of the knowledge base: search and read articles (every staff role), write
and edit articles and reply templates with the history of every change (supervisors), and,
on a ticket, find an article or active reply template and put it into the public reply in
the talent's script."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core import clock
from core.errors import ActionForbidden
from flows.registry import category_choices
from knowledge.models import SCRIPTS, Article, ReplyTemplate
from knowledge.rendering import render_markdown
from knowledge.search import article_search
from knowledge.services import article_save, reply_text, script_for, template_save
from tickets.models import Ticket
from workspace.access import SUPERVISING_ROLES, staff_required
from workspace.forms import CommentForm, add_service_errors
from workspace.ticket import TEMPLATE, ticket_context

RESULTS = 20
SCRIPT_NAMES = {"zh_hans": gettext_lazy("简体中文"), "zh_hant": gettext_lazy("繁體中文"), "en": "English"}


class ArticleForm(forms.Form):
    key = forms.SlugField(label=gettext_lazy("Key"), max_length=60)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    title_zh_hans = forms.CharField(label=gettext_lazy("Title (Simplified Chinese)"), max_length=200)
    body_zh_hans = forms.CharField(label=gettext_lazy("Body (Simplified Chinese, Markdown)"),
                                   widget=forms.Textarea(attrs={"rows": 6}))
    title_zh_hant = forms.CharField(label=gettext_lazy("Title (Traditional Chinese)"), max_length=200)
    body_zh_hant = forms.CharField(label=gettext_lazy("Body (Traditional Chinese, Markdown)"),
                                   widget=forms.Textarea(attrs={"rows": 6}))
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    body_en = forms.CharField(label=gettext_lazy("Body (English, Markdown)"),
                              widget=forms.Textarea(attrs={"rows": 6}))
    source = forms.CharField(label=gettext_lazy("Source document"), max_length=300, required=False)
    effective_from = forms.DateField(label=gettext_lazy("In force from"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=gettext_lazy("Expires on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    published = forms.BooleanField(label=gettext_lazy("Published to talents"), required=False)
    reason = forms.CharField(label=gettext_lazy("Why (kept in the history)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("general policy")), *category_choices()]


class TemplateForm(forms.Form):
    key = forms.SlugField(label=gettext_lazy("Key"), max_length=60)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    title_zh_hans = forms.CharField(label=gettext_lazy("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    body_zh_hans = forms.CharField(label=gettext_lazy("Text (Simplified Chinese)"),
                                   widget=forms.Textarea(attrs={"rows": 5}))
    body_zh_hant = forms.CharField(label=gettext_lazy("Text (Traditional Chinese)"),
                                   widget=forms.Textarea(attrs={"rows": 5}))
    body_en = forms.CharField(label=gettext_lazy("Text (English)"), widget=forms.Textarea(attrs={"rows": 5}))
    active = forms.BooleanField(label=gettext_lazy("Active (offered on tickets)"), required=False)
    reason = forms.CharField(label=gettext_lazy("Why (kept in the history)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("any category")), *category_choices()]


def _today():
    return timezone.localdate(clock.now())


def _decorate(article: Article, today) -> Article:
    article.expired = article.is_expired(today)
    return article


@staff_required()
@require_GET
def knowledge_list(request):
    today = _today()
    query = (request.GET.get("q") or "").strip()
    articles = article_search(Article.objects.all(), query) if query else Article.objects.all()
    articles = [_decorate(a, today) for a in articles[:RESULTS if query else 200]]
    editor = request.role in SUPERVISING_ROLES
    return render(request, "workspace/knowledge_list.html", {
        "query": query, "articles": articles, "editor": editor,
        "expired": list(Article.objects.expired(today)) if editor else [],
    })


@staff_required()
@require_GET
def knowledge_detail(request, key: str):
    article = _decorate(get_object_or_404(Article, key=key), _today())
    scripts = [(SCRIPT_NAMES[s], article.title(s), render_markdown(article.body(s))) for s in SCRIPTS]
    history = list(article.history.select_related("history_user").order_by("-history_date")[:50])
    return render(request, "workspace/knowledge_detail.html", {
        "article": article, "scripts": scripts, "history": history,
        "editor": request.role in SUPERVISING_ROLES,
    })


@staff_required(*SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def knowledge_edit(request, key: str | None = None):
    article = get_object_or_404(Article, key=key) if key else None
    initial = {name: getattr(article, name) for name in ArticleForm.base_fields if hasattr(article, name)} \
        if article else {"effective_from": _today()}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            saved = article_save(actor=request.user, article=article, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden:
            raise Http404 from None
        else:
            messages.success(request, _("Article saved."))
            return redirect("workspace:knowledge_detail", key=saved.key)
    status = 422 if request.method == "POST" else 200
    return render(request, "workspace/knowledge_form.html", {"form": form, "article": article}, status=status)


@staff_required(*SUPERVISING_ROLES)
@require_GET
def template_list(request):
    """Every reply template, active or not, for supervisors to keep up to date."""
    return render(request, "workspace/template_list.html", {"templates": ReplyTemplate.objects.all()})


@staff_required(*SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def template_edit(request, key: str | None = None):
    """Write or change a reply template (supervisors); the page shows its history."""
    template = get_object_or_404(ReplyTemplate, key=key) if key else None
    initial = {name: getattr(template, name) for name in TemplateForm.base_fields if hasattr(template, name)} \
        if template else {"active": True}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            template_save(actor=request.user, template=template, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden:
            raise Http404 from None
        else:
            messages.success(request, _("Reply template saved."))
            return redirect("workspace:template_list")
    history = list(template.history.select_related("history_user").order_by("-history_date")[:50]) \
        if template else []
    status = 422 if request.method == "POST" else 200
    return render(request, "workspace/template_form.html",
                  {"form": form, "template": template, "history": history}, status=status)


# --- on a ticket ------------------------------------------------------------------------------


def _ticket(request, reference: str) -> Ticket:
    ticket = Ticket.objects.visible_to(request.user).select_related("talent").filter(reference=reference).first()
    if ticket is None:
        raise Http404
    return ticket


@staff_required()
@require_GET
def ticket_knowledge(request, reference: str):
    """Articles and templates for the ticket: those of its category first, or a search."""
    ticket = _ticket(request, reference)
    query = (request.GET.get("q") or "").strip()
    if query:
        articles = list(article_search(Article.objects.all(), query)[:RESULTS])
        templates = list(ReplyTemplate.objects.filter(category__in=[ticket.category, ""], active=True)[:RESULTS])
    else:
        articles = list(Article.objects.filter(category=ticket.category)[:RESULTS])
        templates = list(ReplyTemplate.objects.filter(category__in=[ticket.category, ""], active=True)[:RESULTS])
    today = _today()
    script = script_for(ticket.talent)
    context = {
        "ticket": ticket, "query": query, "script_name": SCRIPT_NAMES[script],
        "articles": [(_decorate(a, today), a.title(script)) for a in articles],
        "templates": [(t, t.title(script)) for t in templates],
    }
    template = "workspace/knowledge_ticket.html" + ("#ticket-knowledge" if request.htmx else "")
    return render(request, template, context)


@staff_required()
@require_GET
def ticket_knowledge_insert(request, reference: str):
    """The reply form filled with the article or template in the talent's script (one
    action); sending it records what answered the ticket."""
    ticket = _ticket(request, reference)
    article = template = None
    if key := request.GET.get("article"):
        article = get_object_or_404(Article, key=key)
    elif key := request.GET.get("template"):
        template = get_object_or_404(ReplyTemplate, key=key, active=True)
    else:
        raise Http404
    form = CommentForm(initial={
        "body": reply_text(ticket=ticket, article=article, template=template),
        "visibility": "public",
        "article": article.key if article else "",
        "template": template.key if template else "",
    })
    context = ticket_context(request, ticket, comment_form=form)
    return render(request, TEMPLATE + ("#ticket-comment" if request.htmx else ""), context)
