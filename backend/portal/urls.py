"""The talent portal, mounted at ``/status/``.

``link`` is the route signed status links (receipts' QR codes, notifications) point to;
``attachment`` serves a talent's upload to that talent or to staff in scope (the staff
ticket page links to it with the attachment's ``key``).
"""

from django.urls import path

from portal import apply_views, knowledge, views

app_name = "portal"
urlpatterns = [
    path("", views.check, name="check"),
    path("l/<str:token>/", views.link, name="link"),
    path("language/", views.language, name="language"),
    path("leave/", views.logout, name="logout"),
    path("t/<ticket_ref:reference>/", views.ticket, name="ticket"),
    path("t/<ticket_ref:reference>/reply/", views.reply, name="reply"),
    path("t/<ticket_ref:reference>/done/", views.hand_back, name="hand_back"),
    path("t/<ticket_ref:reference>/materials/<int:material_id>/", views.upload, name="upload"),
    path("t/<ticket_ref:reference>/rating/", views.rate, name="rate"),
    path("t/<ticket_ref:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("files/<uuid:key>/", views.attachment, name="attachment"),
    path("apply/", apply_views.apply_start, name="apply"),
    path("apply/verify/", apply_views.apply_verify, name="apply_verify"),
    path("apply/register/", apply_views.apply_register, name="apply_register"),
    path("apply/request/", apply_views.apply_request, name="apply_request"),
    path("apply/suggest/", apply_views.apply_suggest, name="apply_suggest"),
    path("apply/done/", apply_views.apply_done, name="apply_done"),
    path("answers/", knowledge.knowledge_list, name="knowledge"),
    path("answers/<slug:key>/", knowledge.knowledge_detail, name="knowledge_detail"),
]
