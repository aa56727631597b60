"""`load_demo_data`: the demo a newcomer sees after `make run`."""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from organisations.models import Membership, Notification, Organisation, Role
from partnerhub.demo import DEMO_PASSWORD
from projects.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Call,
    ConsortiumReview,
    Conversation,
    Message,
    PartnershipApplication,
    ProjectIdea,
    ReviewStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_data", i_know_this_is_not_production=True, stdout=io.StringIO())


def test_demo_has_organisations_across_countries(demo):
    assert Organisation.objects.count() >= 40
    assert Organisation.objects.values("country").distinct().count() >= 8


def test_demo_includes_the_real_partnerships_from_the_seed_articles(demo):
    daugavpils = Organisation.objects.get(name__startswith="Daugavpils pilsētas dome")
    idea = ProjectIdea.objects.filter(lead=daugavpils).first()
    assert idea is not None
    assert "PL" in [country.code for country in idea.countries_sought]
    assert Organisation.objects.filter(name="Fundacja Centrum Aktywności Twórczej").exists()
    assert Organisation.objects.filter(name__icontains="Intelekta parks").exists()
    assert Organisation.objects.filter(country="NO").count() >= 3


def test_demo_has_ideas_and_calls(demo):
    assert ProjectIdea.objects.open().count() >= 25
    assert Call.objects.open().count() >= 8
    assert {call.programme.code for call in Call.objects.select_related("programme")} >= {
        "erasmus-plus",
        "european-solidarity-corps",
        "eea-norway-grants",
        "interreg",
    }


def test_demo_users_can_sign_in_with_the_documented_password(demo, client):
    user = get_user_model().objects.get(email="ilze@demo.partnerhub.example")
    assert user.check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.filter(user=user, role=Role.OWNER).exists()
    staff = get_user_model().objects.get(email="staff@demo.partnerhub.example")
    assert staff.is_staff
    assert staff.has_perm("organisations.change_organisation")


PARTNERSHIP_MODELS = (
    PartnershipApplication,
    ApplicationEvent,
    ConsortiumReview,
    Conversation,
    Message,
    Notification,
)


def test_loading_twice_changes_nothing(demo):
    counts = (
        Organisation.objects.count(),
        ProjectIdea.objects.count(),
        Call.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        *(model.objects.count() for model in PARTNERSHIP_MODELS),
    )
    statuses = list(PartnershipApplication.objects.order_by("pk").values_list("status", flat=True))
    stamps = list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))
    out = io.StringIO()
    call_command("load_demo_data", i_know_this_is_not_production=True, stdout=out)
    assert "partnership steps: played 0" in out.getvalue()
    assert counts == (
        Organisation.objects.count(),
        ProjectIdea.objects.count(),
        Call.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        *(model.objects.count() for model in PARTNERSHIP_MODELS),
    )
    assert statuses == list(
        PartnershipApplication.objects.order_by("pk").values_list("status", flat=True)
    )
    assert stamps == list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))


def test_demo_profiles_have_varied_believable_ages(demo):
    from django.utils import timezone

    ages = {
        (timezone.now() - stamp).days
        for stamp in Organisation.objects.values_list("updated_at", flat=True)
    }
    assert len(ages) > 20
    assert max(ages) <= 700


def test_demo_has_applications_and_invitations_in_every_state(demo):
    states = set(PartnershipApplication.objects.values_list("kind", "status"))
    assert {status for _kind, status in states} == set(ApplicationStatus.values)
    assert (ApplicationKind.INVITATION, ApplicationStatus.SUBMITTED) in states
    assert (ApplicationKind.INVITATION, ApplicationStatus.DECLINED) in states
    assert (ApplicationKind.APPLICATION, ApplicationStatus.SUBMITTED) in states
    declined = ApplicationEvent.objects.filter(to_status=ApplicationStatus.DECLINED)
    assert declined.exclude(note="").exists()  # declined with a note the other side reads
    assert PartnershipApplication.objects.filter(shortlisted=True).exists()
    assert PartnershipApplication.objects.exclude(score=None).exists()


def test_demo_has_consortia_waiting_for_review_and_decided(demo):
    waiting = ConsortiumReview.objects.waiting()
    assert waiting.count() >= 1
    review = waiting.first()
    members = review.snapshot["members"]
    assert len(members) >= 2 and review.snapshot["eligible"] is True
    partner = next(m for m in members if m["role"] == "partner")
    assert partner["score"] is not None and partner["reasons"]
    # Waiting for some days, so the queue's "waiting since" filter shows something.
    assert waiting.filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=3)).exists()
    approved = ConsortiumReview.objects.get(status=ReviewStatus.APPROVED)
    assert approved.note and approved.decided_by.email == "staff@demo.partnerhub.example"
    assert approved.idea.applications.filter(status=ApplicationStatus.APPROVED).exists()
    assert ConsortiumReview.objects.filter(status=ReviewStatus.REJECTED).exists()


def test_demo_has_conversations_and_notifications(demo):
    assert Conversation.objects.filter(application__isnull=False).exists()
    assert Conversation.objects.filter(application__isnull=True).exists()  # "contact"
    assert Message.objects.count() >= 4
    ilze = get_user_model().objects.get(email="ilze@demo.partnerhub.example")
    kinds = set(Notification.objects.filter(recipient=ilze).values_list("kind", flat=True))
    assert {"application-received", "review-approved"} <= kinds


def test_the_demo_stories_send_no_e_mails(demo):
    assert Notification.objects.exists()
    assert not Notification.objects.unsent().exists()


def test_the_demo_staff_account_reviews_and_belongs_to_no_organisation(demo):
    staff = get_user_model().objects.get(email="staff@demo.partnerhub.example")
    assert staff.groups.filter(name="Reviewers").exists()
    assert staff.has_perm("projects.review_partnerships")
    assert not Membership.objects.filter(user=staff).exists()
