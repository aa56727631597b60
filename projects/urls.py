from django.urls import path

from . import application_views, conversation_views, track_record_views, views

app_name = "projects"

urlpatterns = [
    path("ideas/", views.IdeaListView.as_view(), name="idea-list"),
    path(
        "organisations/<slug:slug>/past-projects/",
        track_record_views.past_projects,
        name="past-projects",
    ),
    path(
        "organisations/<slug:slug>/past-projects/<int:pk>/remove/",
        track_record_views.past_project_delete,
        name="past-project-remove",
    ),
    path("ideas/new/", views.IdeaCreateView.as_view(), name="idea-create"),
    path("ideas/<slug:slug>/", views.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideas/<slug:slug>/edit/", views.IdeaUpdateView.as_view(), name="idea-update"),
    path("ideas/<slug:slug>/status/", views.idea_status, name="idea-status"),
    path("ideas/<slug:slug>/apply/", application_views.idea_apply, name="idea-apply"),
    path(
        "ideas/<slug:slug>/applications/",
        application_views.idea_applications,
        name="idea-applications",
    ),
    path("ideas/<slug:slug>/submit/", application_views.idea_submit, name="idea-submit"),
    path(
        "applications/<int:pk>/",
        application_views.application_detail,
        name="application-detail",
    ),
    *(
        # One route per action, so other pages of an application (its messages) stay free.
        path(
            f"applications/<int:pk>/{action}/",
            application_views.application_action,
            {"action": action},
            name=f"application-{action}",
        )
        for action in application_views.ACTIONS
    ),
    path(
        "organisations/<slug:slug>/invite-to-idea/",
        application_views.organisation_invite,
        name="organisation-invite",
    ),
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
