from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("new/", views.OrganisationCreateView.as_view(), name="create"),
    path("switch/", views.switch_organisation, name="switch"),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation-accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation-decline"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.OrganisationUpdateView.as_view(), name="update"),
    path("<slug:slug>/leave/", views.membership_leave, name="leave"),
    path("<slug:slug>/members/", views.MembersView.as_view(), name="members"),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role, name="member-role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="member-remove"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
]
