"""The staff workspace, mounted at the site root."""

from django.urls import path

from workspace import (
    auth,
    duplicates,
    duty,
    follow_ups,
    inbox,
    intake,
    notices,
    receipts,
    suggest,
    talent,
    ticket,
    twofactor,
)

app_name = "workspace"
urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("login/code/", auth.verify, name="verify"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", twofactor.two_factor, name="two_factor"),
    path("language/", auth.language, name="language"),
    path("intake/", intake.intake, name="intake"),
    path("intake/hotline/", intake.hotline, name="hotline"),
    path("intake/suggest/", suggest.intake_suggest, name="intake_suggest"),
    path("work/", inbox.my_work, name="my_work"),
    path("tickets/<ticket_ref:reference>/", ticket.ticket_detail, name="ticket"),
    path("tickets/<ticket_ref:reference>/receipt/", receipts.receipt, name="receipt"),
    path("tickets/<ticket_ref:reference>/receipt/new-code/", receipts.receipt_new_code, name="receipt_new_code"),
    path("tickets/<ticket_ref:reference>/act/", ticket.ticket_act, name="ticket_act"),
    path("tickets/<ticket_ref:reference>/claim/", ticket.ticket_claim_view, name="ticket_claim"),
    path("tickets/<ticket_ref:reference>/comment/", ticket.ticket_comment_view, name="ticket_comment"),
    path("tickets/<ticket_ref:reference>/materials/<int:material_id>/", ticket.ticket_material,
         name="ticket_material"),
    path("tickets/<ticket_ref:reference>/notice/", notices.ticket_notice, name="ticket_notice"),
    path("tickets/<ticket_ref:reference>/notices/<int:number>/", notices.notice_print, name="notice_print"),
    path("tickets/<ticket_ref:reference>/assign/", ticket.ticket_assign_view, name="ticket_assign"),
    path("tickets/<ticket_ref:reference>/reveal/", ticket.ticket_reveal, name="ticket_reveal"),
    path("tickets/<ticket_ref:reference>/access-code/", ticket.ticket_code_reset, name="ticket_code_reset"),
    path("tickets/<ticket_ref:reference>/priority/", ticket.ticket_priority, name="ticket_priority"),
    path("talents/<int:pk>/", talent.talent_detail, name="talent"),
    path("talents/duplicates/", duplicates.duplicates, name="duplicates"),
    path("talents/merge/", duplicates.merge, name="talent_merge"),
    path("duty/", duty.my_duty, name="duty"),
    path("team/", duty.team, name="team"),
    path("team/<int:pk>/", duty.team_duty, name="team_duty"),
    path("follow-ups/", follow_ups.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", follow_ups.follow_up_close, name="follow_up_close"),
]
