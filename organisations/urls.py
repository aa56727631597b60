from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("new/", views.OrganisationCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
]
