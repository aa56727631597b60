import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import ApplicationStatus, Call
from tests.factories import CallFactory, PartnershipApplicationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def test_staff_pages_render(client, staff):
    application = PartnershipApplicationFactory(idea=ProjectIdeaFactory(call=CallFactory()))
    client.force_login(staff)
    for name in ("call", "projectidea", "partnershipapplication"):
        assert client.get(reverse(f"admin:projects_{name}_changelist")).status_code == 200
        assert (
            client.get(reverse(f"admin:projects_{name}_changelist"), {"q": "x"}).status_code == 200
        )
    assert client.get(reverse("admin:projects_call_add")).status_code == 200
    url = reverse("admin:projects_partnershipapplication_change", args=[application.pk])
    assert client.get(url).status_code == 200


def test_admin_refuses_a_new_call_with_a_past_deadline(client, staff):
    from organisations.taxonomy import Programme

    client.force_login(staff)
    response = client.post(
        reverse("admin:projects_call_add"),
        {
            "programme": Programme.objects.get(code="erasmus-plus").pk,
            "code": "OLD-1",
            "title": "Old",
            "deadline": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "min_organisations": 1,
            "min_countries": 1,
            "allowed_kinds": ["association", "school"],
        },
    )
    assert response.status_code == 200
    assert "cannot have a deadline in the past" in response.content.decode()
    assert not Call.objects.exists()


def test_admin_moves_no_application_by_hand(client, staff):
    """Status changes go through the review queue (a note, notifications), never a bare action."""
    application = PartnershipApplicationFactory(status=ApplicationStatus.ACCEPTED)
    client.force_login(staff)
    response = client.post(
        reverse("admin:projects_partnershipapplication_changelist"),
        {"action": "move_to_under_review", "_selected_action": [application.pk]},
    )
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()  # no actions offered at all
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert not application.events.exists()
