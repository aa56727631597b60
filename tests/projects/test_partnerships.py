"""The partnership lifecycle services: who may do what, what is recorded, who is told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from organisations.models import Notification, Role, UserSettings
from projects import partnerships
from projects.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    ConsortiumReview,
    Conversation,
    IdeaStatus,
    Message,
    PartnershipApplication,
    ReviewStatus,
)
from tests.conftest import verified_user
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def lead_owner(db):
    return verified_user("lead@example.org")


@pytest.fixture
def idea(lead_owner):
    lead = OrganisationFactory(name="Liepāja Youth Centre", country="LV")
    MembershipFactory(user=lead_owner, organisation=lead, role=Role.OWNER)
    call = CallFactory(min_organisations=2, min_countries=2)
    return ProjectIdeaFactory(lead=lead, call=call, title="Volunteers across the border")


@pytest.fixture
def partner_owner(db):
    return verified_user("partner@example.org")


@pytest.fixture
def partner(partner_owner):
    organisation = OrganisationFactory(name="Klaipėda Volunteers", country="LT")
    MembershipFactory(user=partner_owner, organisation=organisation, role=Role.OWNER)
    return organisation


MOTIVATION = (
    "We run a volunteering centre in Klaipėda with forty young volunteers and would like "
    "to share our mentoring method with your youth centre."
)


def apply(idea, partner, by, **extra):
    data = {"motivation": MOTIVATION, "proposed_role": "Mentoring partner"}
    data.update(extra)
    return partnerships.application_apply(idea=idea, organisation=partner, by=by, **data)


# --- Apply ------------------------------------------------------------------------------


def test_apply_records_the_application_its_history_and_tells_the_lead(
    idea, partner, partner_owner, lead_owner, django_capture_on_commit_callbacks
):
    viewer = verified_user("lead-viewer@example.org")
    MembershipFactory(user=viewer, organisation=idea.lead, role=Role.VIEWER)

    with django_capture_on_commit_callbacks(execute=True):
        application = apply(idea, partner, partner_owner, contact_name="Rūta")

    assert application.status == ApplicationStatus.SUBMITTED
    assert application.kind == ApplicationKind.APPLICATION
    assert application.contact_name == "Rūta"
    assert [(e.from_status, e.to_status) for e in application.events.all()] == [
        ("", ApplicationStatus.SUBMITTED)
    ]
    told = Notification.objects.filter(kind="application-received")
    assert [n.recipient for n in told] == [lead_owner]  # owners and editors, not viewers
    assert told[0].url == f"/ideas/{idea.slug}/applications/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "Klaipėda Volunteers applies to join “Volunteers across the border”" in (
        mail.outbox[0].subject
    )
    assert "mentoring method" in mail.outbox[0].body
    assert "partner@example.org" not in mail.outbox[0].body


def test_the_email_is_in_the_recipients_language(
    idea, partner, partner_owner, lead_owner, django_capture_on_commit_callbacks
):
    UserSettings.objects.create(user=lead_owner, language="lv")
    with django_capture_on_commit_callbacks(execute=True):
        apply(idea, partner, partner_owner)
    assert len(mail.outbox) == 1
    assert "Labdien" in mail.outbox[0].body or "Sveiki" in mail.outbox[0].body


def test_no_email_for_someone_who_chose_never_but_the_notification_stays(
    idea, partner, partner_owner, lead_owner, django_capture_on_commit_callbacks
):
    UserSettings.objects.create(
        user=lead_owner, email_preferences={"application-received": "never"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply(idea, partner, partner_owner)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=lead_owner)
    assert notification.email_status == Notification.EmailStatus.SKIPPED


def test_the_match_at_the_moment_of_applying_is_stored(idea, partner, partner_owner):
    application = apply(idea, partner, partner_owner)
    assert application.score is not None
    assert set(application.score_components) >= {"goals", "country"}
    assert application.score_reasons


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda idea, partner: setattr(idea, "status", IdeaStatus.CLOSED), "no longer takes"),
        (
            lambda idea, partner: setattr(idea, "closes_on", TODAY - datetime.timedelta(days=1)),
            "no longer takes",
        ),
        (lambda idea, partner: setattr(idea, "lead", partner), "your own organisation"),
    ],
)
def test_apply_is_refused_and_changes_nothing(idea, partner, partner_owner, change, expected):
    change(idea, partner)
    idea.save()
    with pytest.raises(ValidationError, match=expected):
        apply(idea, partner, partner_owner)
    assert not PartnershipApplication.objects.exists()
    assert not Notification.objects.exists()
    assert not ApplicationEvent.objects.exists()


def test_apply_twice_keeps_one_application(idea, partner, partner_owner):
    apply(idea, partner, partner_owner)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        apply(idea, partner, partner_owner)
    assert PartnershipApplication.objects.count() == 1


def test_a_member_of_the_consortium_cannot_apply_again(idea, partner, partner_owner):
    PartnershipApplicationFactory(idea=idea, organisation=partner, status="accepted")
    with pytest.raises(ValidationError, match="already in the consortium"):
        apply(idea, partner, partner_owner)


def test_the_call_rule_that_excludes_the_country_is_named(idea, partner, partner_owner):
    idea.call.eligible_countries = ["LV", "EE"]
    idea.call.save()
    with pytest.raises(ValidationError, match="Lithuania"):
        apply(idea, partner, partner_owner)
    assert not PartnershipApplication.objects.exists()


def test_a_motivation_without_words_is_refused(idea, partner, partner_owner):
    with pytest.raises(ValidationError):
        apply(idea, partner, partner_owner, motivation="   ")
    assert not PartnershipApplication.objects.exists()


def test_a_motivation_sent_twice_is_flagged_to_the_lead(idea, partner, partner_owner):
    other = ProjectIdeaFactory(call=idea.call)
    first = apply(other, partner, partner_owner)
    second = apply(idea, partner, partner_owner, motivation=MOTIVATION.replace("forty", "40"))
    assert second.similar_to == first
    notification = Notification.objects.get(kind="application-received", params__idea=idea.title)
    assert notification.params["similar"] == other.title


def test_a_different_motivation_is_not_flagged(idea, partner, partner_owner):
    apply(ProjectIdeaFactory(call=idea.call), partner, partner_owner)
    second = apply(
        idea,
        partner,
        partner_owner,
        motivation="Our sports club trains coaches in rural Lithuania and wants to learn "
        "how your centre reaches young people who never volunteered before.",
    )
    assert second.similar_to is None


# --- Invitations and answers -------------------------------------------------------------


def test_an_invitation_reaches_the_partner_with_the_message_and_reasons(
    idea, partner, partner_owner, lead_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = partnerships.application_invite(
            idea=idea, organisation=partner, by=lead_owner, note="Join our exchange!"
        )
    assert invitation.kind == ApplicationKind.INVITATION
    notification = Notification.objects.get(recipient=partner_owner)
    assert notification.kind == "invitation-received"
    assert notification.url == f"/applications/{invitation.pk}/"
    assert notification.params["reasons"] == invitation.score_reasons
    assert mail.outbox[0].to == ["partner@example.org"]
    assert "Join our exchange!" in mail.outbox[0].body
    assert "Liepāja Youth Centre invites Klaipėda Volunteers" in mail.outbox[0].subject


def test_accepting_an_invitation_joins_the_consortium_and_tells_the_lead(
    idea, partner, partner_owner, lead_owner
):
    invitation = partnerships.application_invite(idea=idea, organisation=partner, by=lead_owner)
    partnerships.application_accept(application=invitation, by=partner_owner)
    invitation.refresh_from_db()
    assert invitation.status == ApplicationStatus.ACCEPTED
    assert Notification.objects.filter(recipient=lead_owner, kind="invitation-accepted").exists()
    assert [e.to_status for e in invitation.events.all()] == ["submitted", "accepted"]


def test_declining_keeps_the_note_and_a_new_invitation_reopens_the_same_row(
    idea, partner, partner_owner, lead_owner
):
    invitation = partnerships.application_invite(idea=idea, organisation=partner, by=lead_owner)
    partnerships.application_decline(application=invitation, by=partner_owner, note="Too busy")
    assert invitation.events.last().note == "Too busy"
    told = Notification.objects.get(recipient=lead_owner, kind="invitation-declined")
    assert told.params["note"] == "Too busy"

    again = apply(idea, partner, partner_owner)
    assert again.pk == invitation.pk
    assert again.kind == ApplicationKind.APPLICATION
    assert again.status == ApplicationStatus.SUBMITTED
    assert [e.to_status for e in again.events.all()] == [
        "submitted",
        "declined",
        "submitted",
    ]


def test_the_lead_withdraws_an_unanswered_invitation_only(idea, partner, partner_owner, lead_owner):
    invitation = partnerships.application_invite(idea=idea, organisation=partner, by=lead_owner)
    partnerships.application_withdraw(application=invitation, by=lead_owner)
    assert invitation.status == ApplicationStatus.WITHDRAWN
    assert Notification.objects.filter(
        recipient=partner_owner, kind="invitation-withdrawn"
    ).exists()

    other = OrganisationFactory(country="EE")
    answered = partnerships.application_invite(idea=idea, organisation=other, by=lead_owner)
    partnerships.application_accept(application=answered, by=lead_owner)
    with pytest.raises(ValidationError, match="still unanswered"):
        partnerships.application_withdraw(application=answered, by=lead_owner)


def test_an_answer_that_lost_the_race_is_refused_and_kept_in_the_history(
    idea, partner, partner_owner, lead_owner
):
    application = apply(idea, partner, partner_owner)
    seen_by_lead = PartnershipApplication.objects.get(pk=application.pk)
    partnerships.application_withdraw(application=application, by=partner_owner)

    with pytest.raises(ValidationError, match="Someone decided first"):
        partnerships.application_accept(application=seen_by_lead, by=lead_owner)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    events = list(application.events.values_list("to_status", "refused"))
    assert events == [("submitted", False), ("withdrawn", False), ("accepted", True)]
    assert not Notification.objects.filter(kind="application-accepted").exists()


def test_an_impossible_transition_writes_nothing(idea, partner, partner_owner, lead_owner):
    application = apply(idea, partner, partner_owner)
    with pytest.raises(ValidationError):
        partnerships.application_transition(
            application=application, to_status=ApplicationStatus.APPROVED, by=lead_owner
        )
    assert application.events.count() == 1


def test_shortlisting_is_only_for_waiting_applications(idea, partner, partner_owner, lead_owner):
    application = apply(idea, partner, partner_owner)
    partnerships.application_shortlist(application=application, by=lead_owner)
    assert PartnershipApplication.objects.get(pk=application.pk).shortlisted
    partnerships.application_accept(application=application, by=lead_owner)
    with pytest.raises(ValidationError):
        partnerships.application_shortlist(application=application, by=lead_owner)


# --- Submit and review -------------------------------------------------------------------


def test_a_consortium_that_misses_the_rules_cannot_be_submitted(idea, lead_owner):
    partner = OrganisationFactory(country="LV")
    PartnershipApplicationFactory(idea=idea, organisation=partner, status="accepted")
    problems = partnerships.submit_problems(idea)
    assert problems and "country" in " ".join(problems)
    with pytest.raises(ValidationError):
        partnerships.consortium_submit(idea=idea, by=lead_owner)
    assert not ConsortiumReview.objects.exists()
    assert PartnershipApplication.objects.get(organisation=partner).status == "accepted"


def test_without_partners_the_page_says_so(idea):
    assert partnerships.submit_problems(idea) == [
        "No partner has joined yet: accept an application or an invitation first."
    ]


@pytest.fixture
def submitted(idea, partner, partner_owner, lead_owner):
    application = apply(idea, partner, partner_owner)
    partnerships.application_accept(application=application, by=lead_owner)
    review = partnerships.consortium_submit(idea=idea, by=lead_owner)
    return review


def test_submitting_moves_accepted_partners_under_review_with_a_snapshot(
    submitted, idea, partner, partner_owner
):
    assert submitted.status == ReviewStatus.UNDER_REVIEW
    assert PartnershipApplication.objects.get(organisation=partner).status == "under-review"
    snapshot = submitted.snapshot
    assert [m["name"] for m in snapshot["members"]] == ["Liepāja Youth Centre", partner.name]
    assert snapshot["countries"] == ["LT", "LV"]
    assert snapshot["eligible"] is True
    assert snapshot["members"][1]["score"] is not None
    assert Notification.objects.filter(recipient=partner_owner, kind="consortium-submitted")
    assert partnerships.submit_problems(idea) == [
        "The consortium is already waiting for staff review."
    ]


def test_a_review_needs_a_note(submitted, staff):
    with pytest.raises(ValidationError):
        partnerships.review_decide(
            review=submitted, decision=ReviewStatus.APPROVED, by=staff, note=" "
        )
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.UNDER_REVIEW


def test_approval_approves_every_partner_and_tells_both_sides(
    submitted, staff, partner, partner_owner, lead_owner
):
    partnerships.review_decide(
        review=submitted, decision=ReviewStatus.APPROVED, by=staff, note="A strong consortium."
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == (ReviewStatus.APPROVED, staff)
    assert PartnershipApplication.objects.get(organisation=partner).status == "approved"
    for person in (partner_owner, lead_owner):
        told = Notification.objects.get(recipient=person, kind="review-approved")
        assert told.params["note"] == "A strong consortium."


def test_changes_requested_send_the_consortium_back_to_the_lead(submitted, staff, idea, partner):
    partnerships.review_decide(
        review=submitted,
        decision=ReviewStatus.CHANGES_REQUESTED,
        by=staff,
        note="Add a partner with experience.",
    )
    assert PartnershipApplication.objects.get(organisation=partner).status == "accepted"
    assert partnerships.submit_problems(idea) == []  # it can be submitted again


def test_a_second_decision_is_refused_and_both_are_in_the_history(submitted, staff, partner):
    other_reviewer = verified_user("reviewer2@example.org", is_staff=True)
    stale = ConsortiumReview.objects.get(pk=submitted.pk)
    partnerships.review_decide(review=submitted, decision="approved", by=staff, note="Good.")
    with pytest.raises(ValidationError, match="already decided"):
        partnerships.review_decide(
            review=stale, decision="rejected", by=other_reviewer, note="Too weak."
        )
    application = PartnershipApplication.objects.get(organisation=partner)
    assert application.status == "approved"
    assert list(application.events.values_list("to_status", "refused"))[-2:] == [
        ("approved", False),
        ("rejected", True),
    ]


def test_a_reviewer_from_the_consortium_cannot_decide(submitted, partner):
    insider = verified_user("insider@example.org", is_staff=True)
    MembershipFactory(user=insider, organisation=partner, role=Role.VIEWER)
    with pytest.raises(ValidationError, match="another reviewer"):
        partnerships.review_decide(review=submitted, decision="approved", by=insider, note="ok")
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.UNDER_REVIEW


# --- Limits --------------------------------------------------------------------------------


@override_settings(PARTNERHUB_DAILY_LIMITS={"application": {"user": 1, "organisation": 5}})
def test_over_the_daily_limit_the_application_is_refused_with_the_time(
    idea, partner, partner_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(ProjectIdeaFactory(call=idea.call), partner, partner_owner)
    with pytest.raises(ValidationError, match="again from"):
        apply(idea, partner, partner_owner)
    assert PartnershipApplication.objects.count() == 1


# --- Conversations -------------------------------------------------------------------------


def test_a_conversation_tells_the_other_side_without_addresses(
    idea, partner, partner_owner, lead_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = partnerships.conversation_start(
            sender=partner,
            recipient=idea.lead,
            by=partner_owner,
            subject="Your exchange",
            body="Could we talk about dates?",
        )
    assert Message.objects.get().body == "Could we talk about dates?"
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "partner@example.org" not in mail.outbox[0].body
    assert "Could we talk about dates?" in mail.outbox[0].body
    assert partnerships.unread_conversations([idea.lead]) == 1
    assert partnerships.unread_conversations([partner]) == 0

    partnerships.conversation_mark_read(conversation=conversation, organisation=idea.lead)
    assert partnerships.unread_conversations([idea.lead]) == 0


def test_only_the_two_sides_post_in_a_conversation(idea, partner, partner_owner, lead_owner):
    conversation = partnerships.conversation_start(
        sender=partner, recipient=idea.lead, by=partner_owner, subject="Hi", body="Hello"
    )
    with pytest.raises(ValidationError):
        partnerships.message_post(
            conversation=conversation, sender=OrganisationFactory(), by=lead_owner, body="Spam"
        )
    assert Message.objects.count() == 1


def test_an_application_thread_is_made_once(idea, partner, partner_owner):
    application = apply(idea, partner, partner_owner)
    first = partnerships.conversation_for_application(application, by=partner_owner)
    second = partnerships.conversation_for_application(application, by=partner_owner)
    assert first == second
    assert Conversation.objects.count() == 1
    assert (first.starter, first.recipient) == (idea.lead, partner)


# --- Moderation ----------------------------------------------------------------------------


def test_a_hidden_idea_disappears_from_the_public_and_its_lead_is_told(
    idea, staff, lead_owner, partner, partner_owner
):
    partnerships.idea_hide(idea=idea, by=staff, reason="Contains a personal phone number.")
    from django.contrib.auth.models import AnonymousUser

    from projects.models import ProjectIdea

    assert not ProjectIdea.objects.visible_to(AnonymousUser()).filter(pk=idea.pk).exists()
    assert ProjectIdea.objects.visible_to(lead_owner).filter(pk=idea.pk).exists()
    told = Notification.objects.get(recipient=lead_owner, kind="idea-hidden")
    assert told.params["note"] == "Contains a personal phone number."
    with pytest.raises(ValidationError):
        apply(idea, partner, partner_owner)
