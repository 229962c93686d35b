"""The REST API, mounted at ``/api/``: version 1 under ``v1/``, the OpenAPI schema at
``schema/`` and Swagger UI (served from our own static files, CSP-clean) at ``docs/``.

``/api/v1/reports/…`` is mounted by ``config.urls`` from ``reports.api_urls``.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import (
    access_views,
    attachment_views,
    auth_views,
    guidance_views,
    hall_views,
    related_views,
    talent_views,
    ticket_views,
    workflow_views,
)
from api.base import NotFoundView
from api.docs import SwaggerView

app_name = "api"

DESCRIPTION = """Tickets, talents, workflows and audit history of a talent service centre.

**Authentication.** `POST /api/v1/auth/token/` with a user name and password gives a token;
send it as `Authorization: Token <token>`. A token expires (`expires` in the answer;
7 days unless configured), `POST /api/v1/auth/token/rotate/` replaces it, and a password
change or deactivation revokes it. Browsers may use their session (with the CSRF header on
writes). Without credentials or with an expired token: 401.

**Scope.** Window staff see their windows' tickets, officers their own and their windows'
unassigned ones, supervisors their centre's, administrators all — in lists, details,
timelines, histories and actions alike. A ticket outside your scope answers 404. Users
without a staff role see nothing and may change nothing (403).

**Errors** have one shape: `{"field": ["message", …], …}` for bad input (nested fields
joined with dots, `non_field_errors` for the request as a whole) or `{"detail": "…"}`,
plus `current_state` and `allowed_actions` when a workflow action is not possible now
(409) and `holder` when someone else holds a ticket (409). Messages follow
`Accept-Language` (`zh-hans` or `en`). Unknown fields and server-owned fields (reference,
state, assignee, timestamps, due times, access code) are refused with 400, not ignored.

**Lists** are paginated: `{count, next, previous, results}`, `page` and `page_size` (at
most 100).

**Idempotency.** `POST /api/v1/tickets/` takes an optional `Idempotency-Key` header: the
same key (per user) with the same body answers 201 with the same ticket (and
`access_code: null`: the code is only in the first answer); with another body, 422.
"""

SCHEMA_SETTINGS = {"SCHEMA_PATH_PREFIX": r"/api/v1", "DESCRIPTION": DESCRIPTION}

v1 = [
    path("auth/token/", auth_views.TokenView.as_view(), name="token"),
    path("auth/token/rotate/", auth_views.TokenRotateView.as_view(), name="token-rotate"),
    path("sensitive-access/", access_views.SensitiveAccessView.as_view(), name="sensitive-access"),
    path("tickets/", ticket_views.TicketCollectionView.as_view(), name="tickets"),
    path("tickets/<ticket_ref:reference>/", ticket_views.TicketDetailView.as_view(), name="ticket"),
    path("tickets/<ticket_ref:reference>/timeline/", ticket_views.TicketTimelineView.as_view(),
         name="ticket-timeline"),
    path("tickets/<ticket_ref:reference>/history/", ticket_views.TicketHistoryView.as_view(),
         name="ticket-history"),
    path("tickets/<ticket_ref:reference>/transitions/", ticket_views.TicketTransitionView.as_view(),
         name="ticket-transitions"),
    path("tickets/<ticket_ref:reference>/claim/", ticket_views.TicketClaimView.as_view(),
         name="ticket-claim"),
    path("tickets/<ticket_ref:reference>/assign/", ticket_views.TicketAssignView.as_view(),
         name="ticket-assign"),
    path("tickets/<ticket_ref:reference>/comments/", ticket_views.TicketCommentView.as_view(),
         name="ticket-comments"),
    path("tickets/<ticket_ref:reference>/related/", related_views.TicketRelatedView.as_view(),
         name="ticket-related"),
    path("tickets/<ticket_ref:reference>/materials/<slug:material_id>/",
         ticket_views.TicketMaterialView.as_view(), name="ticket-material"),
    path("tickets/<ticket_ref:reference>/materials/<slug:material_id>/attachments/",
         attachment_views.TicketAttachmentView.as_view(), name="ticket-material-attachments"),
    path("talents/", talent_views.TalentCollectionView.as_view(), name="talents"),
    path("talents/<str:talent_id>/", talent_views.TalentDetailView.as_view(), name="talent"),
    path("talents/<str:talent_id>/reveal/", talent_views.TalentRevealView.as_view(),
         name="talent-reveal"),
    path("hall/numbers/", hall_views.NumberTakeView.as_view(), name="hall-numbers"),
    path("hall/windows/<str:window_id>/call-next/", hall_views.CallNextView.as_view(),
         name="hall-call-next"),
    path("hall/lines/", hall_views.LineListView.as_view(), name="hall-lines"),
    path("workflows/", workflow_views.WorkflowListView.as_view(), name="workflows"),
    path("workflows/<slug:key>/", workflow_views.WorkflowDetailView.as_view(), name="workflow"),
    path("guidance/suggest/", guidance_views.GuidanceSuggestView.as_view(), name="guidance-suggest"),
]

urlpatterns = [
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
    # Anything else under v1/ is a JSON 404 in the one error shape, not the staff pages' 404.
    re_path(r"^v1/(?:.*/)?$", NotFoundView.as_view(), name="not-found"),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
]
