from django.urls import path

from . import conversation_views, views

app_name = "projects"

urlpatterns = [
    path("ideas/", views.IdeaListView.as_view(), name="idea-list"),
    path("ideas/new/", views.IdeaCreateView.as_view(), name="idea-create"),
    path("ideas/<slug:slug>/", views.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideas/<slug:slug>/edit/", views.IdeaUpdateView.as_view(), name="idea-update"),
    path("ideas/<slug:slug>/status/", views.idea_status, name="idea-status"),
    path("calls/", views.CallListView.as_view(), name="call-list"),
    path("calls/<str:code>/", views.CallDetailView.as_view(), name="call-detail"),
    path("conversations/", conversation_views.conversation_list, name="conversation-list"),
    path(
        "conversations/<int:pk>/",
        conversation_views.conversation_detail,
        name="conversation-detail",
    ),
    path(
        "organisations/<slug:slug>/contact/",
        conversation_views.organisation_contact,
        name="organisation-contact",
    ),
    path(
        "applications/<int:pk>/messages/",
        conversation_views.application_message,
        name="application-message",
    ),
]
