from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tickets/", views.tickets, name="tickets"),
    path("export/tickets/", views.export_tickets, name="export-tickets"),
    path("export/<slug:dimension>/", views.export_breakdown, name="export-breakdown"),
]
