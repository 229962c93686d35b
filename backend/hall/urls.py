"""The hall's pages: kiosk, slip, board, the holder's phone page and the staff window page."""

from django.urls import path

from hall import appointment_views, views, window_views

app_name = "hall"
urlpatterns = [
    path("window/", window_views.window_page, name="window"),
    path("window/issue/", window_views.number_issue, name="number_issue"),
    path("window/return/<int:pk>/", window_views.number_return, name="number_return"),
    path("window/<slug:action>/", window_views.window_act, name="window_act"),
    path("kiosk/<slug:code>/", views.kiosk, name="kiosk"),
    path("slip/<str:token>/", views.slip, name="slip"),
    path("q/<str:token>/", views.follow, name="follow"),
    path("q/<str:token>/state.json", views.follow_state, name="follow_state"),
    path("q/<str:token>/events", views.follow_events, name="follow_events"),
    path("book/<slug:code>/", appointment_views.book, name="book"),
    path("appointments/<str:code>/", appointment_views.appointment, name="appointment"),
    path("appointments/<str:code>/cancel/", appointment_views.appointment_cancel,
         name="appointment_cancel"),
    path("board/<slug:code>/", views.board, name="board"),
    path("board/<slug:code>/state.json", views.board_state_json, name="board_state"),
    path("board/<slug:code>/events", views.board_events, name="board_events"),
]
