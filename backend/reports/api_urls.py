from django.urls import path

from reports.api import ResponseTimesView

app_name = "reports_api"
urlpatterns = [
    path("response-times/", ResponseTimesView.as_view(), name="response-times"),
]
