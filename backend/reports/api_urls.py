from django.urls import path

from reports.api_views import HallMeasuresView, ResponseTimesView

app_name = "reports_api"
urlpatterns = [
    path("response-times/", ResponseTimesView.as_view(), name="response-times"),
    path("hall/", HallMeasuresView.as_view(), name="hall"),
]
