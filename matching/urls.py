from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("ideas/<slug:slug>/partners/", views.idea_partners, name="idea-partners"),
    path("ideas/<slug:slug>/partners/<slug:organisation>/invite/", views.invite, name="invite"),
    path("ideas/<slug:slug>/partners/<slug:organisation>/dismiss/", views.dismiss, name="dismiss"),
    path(
        "ideas/<slug:slug>/partners/<slug:organisation>/undo-dismiss/",
        views.undo_dismiss,
        name="undo-dismiss",
    ),
    path("matching/weights/", views.weights, name="weights"),
]
