"""Two people acting on the same application at the same moment, in two real transactions.

PostgreSQL only: SQLite serialises whole-database writes, so the race these
tests provoke cannot happen there. Each thread has its own connection; a
barrier releases both right after they loaded the same state.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from organisations.models import Role
from projects import partnerships
from projects.models import ApplicationEvent, ConsortiumReview, PartnershipApplication
from tests.conftest import verified_user
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectIdeaFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs row locks across two connections"
    ),
]


def race(*actions):
    """Run the actions at once in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as error:  # the outcome is what we assert on
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def world(reference_data):
    lead_owner = verified_user("lead@example.org")
    lead_editor = verified_user("editor@example.org")
    lead = OrganisationFactory(country="LV")
    MembershipFactory(user=lead_owner, organisation=lead, role=Role.OWNER)
    MembershipFactory(user=lead_editor, organisation=lead, role=Role.EDITOR)
    partner_owner = verified_user("partner@example.org")
    partner = OrganisationFactory(country="LT")
    MembershipFactory(user=partner_owner, organisation=partner, role=Role.OWNER)
    idea = ProjectIdeaFactory(lead=lead, call=CallFactory())
    return idea, partner, lead_owner, lead_editor, partner_owner


def test_accept_and_decline_at_once_end_in_one_decision_with_both_in_the_history(world):
    idea, partner, lead_owner, lead_editor, partner_owner = world
    application = partnerships.application_apply(
        idea=idea, organisation=partner, by=partner_owner, motivation="We would like to join."
    )
    seen_by_owner = PartnershipApplication.objects.get(pk=application.pk)
    seen_by_editor = PartnershipApplication.objects.get(pk=application.pk)

    outcomes = race(
        lambda: partnerships.application_accept(application=seen_by_owner, by=lead_owner),
        lambda: partnerships.application_decline(
            application=seen_by_editor, by=lead_editor, note="Not now"
        ),
    )

    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1, outcomes
    assert "Someone decided first" in refused[0].messages[0]
    application.refresh_from_db()
    assert application.status in ("accepted", "declined")
    events = list(
        ApplicationEvent.objects.filter(application=application).values_list("to_status", "refused")
    )
    decided = application.status
    lost = ({"accepted", "declined"} - {decided}).pop()
    assert events[0] == ("submitted", False)
    assert sorted(events[1:]) == sorted([(decided, False), (lost, True)])


def test_accept_and_withdraw_of_an_invitation_at_once(world):
    idea, partner, lead_owner, _, partner_owner = world
    invitation = partnerships.application_invite(idea=idea, organisation=partner, by=lead_owner)
    for_partner = PartnershipApplication.objects.get(pk=invitation.pk)
    for_lead = PartnershipApplication.objects.get(pk=invitation.pk)

    outcomes = race(
        lambda: partnerships.application_accept(application=for_partner, by=partner_owner),
        lambda: partnerships.application_withdraw(application=for_lead, by=lead_owner),
    )

    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    invitation.refresh_from_db()
    assert invitation.status in ("accepted", "withdrawn")
    assert invitation.events.filter(refused=True).count() == 1


def test_a_double_click_on_apply_makes_one_application(world):
    idea, partner, _, _, partner_owner = world

    def apply():
        return partnerships.application_apply(
            idea=idea, organisation=partner, by=partner_owner, motivation="Count us in."
        )

    outcomes = race(apply, apply)

    assert sum(isinstance(o, PartnershipApplication) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert PartnershipApplication.objects.count() == 1


def test_two_reviewers_at_once_make_one_decision(world):
    idea, partner, lead_owner, _, partner_owner = world
    application = partnerships.application_apply(
        idea=idea, organisation=partner, by=partner_owner, motivation="We would like to join."
    )
    partnerships.application_accept(application=application, by=lead_owner)
    review = partnerships.consortium_submit(idea=idea, by=lead_owner)
    first = verified_user("reviewer1@example.org", is_staff=True)
    second = verified_user("reviewer2@example.org", is_staff=True)

    outcomes = race(
        lambda: partnerships.review_decide(
            review=ConsortiumReview.objects.get(pk=review.pk),
            decision="approved",
            by=first,
            note="Good.",
        ),
        lambda: partnerships.review_decide(
            review=ConsortiumReview.objects.get(pk=review.pk),
            decision="rejected",
            by=second,
            note="Weak.",
        ),
    )

    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    review.refresh_from_db()
    application.refresh_from_db()
    assert application.status == review.status
    assert application.events.filter(refused=True).count() == 1
