from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("ideas/", views.IdeaListView.as_view(), name="idea-list"),
    path("ideas/new/", views.IdeaCreateView.as_view(), name="idea-create"),
    path("ideas/<slug:slug>/", views.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideas/<slug:slug>/edit/", views.IdeaUpdateView.as_view(), name="idea-update"),
    path("ideas/<slug:slug>/status/", views.idea_status, name="idea-status"),
    path("calls/", views.CallListView.as_view(), name="call-list"),
    path("calls/<str:code>/", views.CallDetailView.as_view(), name="call-detail"),
]
