from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("read/", views.notice_read, name="notice_read"),
    path("count/", views.notice_count, name="notice_count"),
]
