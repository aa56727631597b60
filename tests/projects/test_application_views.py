"""Apply, one application or invitation, the lead's triage, submit for review, invite from a profile.

Every view is tried by an anonymous visitor (login), an outsider (404), a viewer
(403 on actions) and an owner or editor (success); every refused action leaves
the database as it was.
"""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import Kind, Notification, Role
from organisations.notifications import render
from projects.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    ConsortiumReview,
    IdeaStatus,
    PartnershipApplication,
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

LOGIN = reverse("account_login")


# --- Fixtures: `organisation` (conftest) leads the idea; `partner` is on the other side ------


@pytest.fixture
def idea(organisation):
    return ProjectIdeaFactory(lead=organisation, status=IdeaStatus.OPEN)


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Kaunas Youth Centre", country="LT", kind=Kind.FOUNDATION)


@pytest.fixture
def partner_owner(partner):
    user = verified_user("partner-owner@example.org")
    MembershipFactory(user=user, organisation=partner, role=Role.OWNER)
    return user


@pytest.fixture
def partner_viewer(partner):
    user = verified_user("partner-viewer@example.org")
    MembershipFactory(user=user, organisation=partner, role=Role.VIEWER)
    return user


@pytest.fixture
def application(idea, partner):
    return PartnershipApplicationFactory(
        idea=idea,
        organisation=partner,
        proposed_role="Hosts the second exchange",
        score=72,
        score_reasons=["shares 2 of 3 themes: inclusion, volunteering"],
    )


@pytest.fixture
def invitation(idea, partner):
    return PartnershipApplicationFactory(
        idea=idea,
        organisation=partner,
        kind=ApplicationKind.INVITATION,
        motivation="Your volunteering centre would be a great host.",
    )


def apply_url(idea):
    return reverse("projects:idea-apply", kwargs={"slug": idea.slug})


def triage_url(idea):
    return reverse("projects:idea-applications", kwargs={"slug": idea.slug})


def submit_url(idea):
    return reverse("projects:idea-submit", kwargs={"slug": idea.slug})


def detail_url(application):
    return reverse("projects:application-detail", kwargs={"pk": application.pk})


def action_url(application, action):
    return reverse(f"projects:application-{action}", kwargs={"pk": application.pk})


def invite_url(organisation):
    return reverse("projects:organisation-invite", kwargs={"slug": organisation.slug})


def apply_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "motivation": "We run a volunteering centre for young people and want to share how.",
        "proposed_role": "Hosts the second exchange",
        "contribution": "Twenty volunteers and a venue.",
        "experience": "Two local exchanges with a school in Panevėžys.",
        "contact_name": "Rūta",
    }
    data.update(overrides)
    return data


def snapshot():
    """What a refused action must not change."""
    return (
        sorted(
            PartnershipApplication.objects.values_list(
                "pk", "status", "kind", "shortlisted", "motivation"
            )
        ),
        ApplicationEvent.objects.filter(refused=False).count(),
        ConsortiumReview.objects.count(),
    )


def texts(response):
    return [str(message) for message in response.context["messages"]]


# --- Apply ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_to_apply(client, idea):
    for response in (client.get(apply_url(idea)), client.post(apply_url(idea), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_the_idea_page_asks_a_visitor_to_sign_in_to_apply(client, idea):
    text = client.get(idea.get_absolute_url()).text
    assert "Sign in to apply" in text
    assert apply_url(idea) not in text


def test_an_owner_of_another_organisation_sees_the_button_and_applies(
    client, idea, partner, partner_owner, owner
):
    client.force_login(partner_owner)
    page = client.get(idea.get_absolute_url()).text
    assert apply_url(idea) in page and "Apply to join" in page
    assert client.get(apply_url(idea)).status_code == 200

    response = client.post(apply_url(idea), apply_data(partner), follow=True)

    application = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert response.redirect_chain[-1][0] == detail_url(application)
    assert application.kind == ApplicationKind.APPLICATION
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.proposed_role == "Hosts the second exchange"
    assert application.contribution == "Twenty volunteers and a venue."
    assert application.experience.startswith("Two local exchanges")
    assert application.contact_name == "Rūta"
    assert application.created_by == partner_owner
    # The lead's owner is told, with a link to the triage page.
    notification = Notification.objects.get(recipient=owner, kind="application-received")
    assert notification.url == triage_url(idea)
    assert "Your application is sent" in response.text


def test_the_match_score_and_reasons_are_stored_with_the_application(
    client, organisation, partner, partner_owner
):
    idea = ProjectIdeaFactory(lead=organisation, themes=["inclusion-diversity"])
    partner.themes.set(idea.themes.all())
    client.force_login(partner_owner)
    client.post(apply_url(idea), apply_data(partner))
    application = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert application.score is not None
    assert application.score_reasons
    assert application.score_components


def test_a_double_click_makes_one_application_and_shows_it(client, idea, partner, partner_owner):
    client.force_login(partner_owner)
    client.post(apply_url(idea), apply_data(partner))
    response = client.post(apply_url(idea), apply_data(partner), follow=True)
    assert response.status_code == 200
    application = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert response.redirect_chain[-1][0] == detail_url(application)
    assert any("already" in text for text in texts(response))
    assert application.events.count() == 1


def test_a_viewer_cannot_apply(client, idea, partner, partner_viewer):
    client.force_login(partner_viewer)
    before = snapshot()
    assert client.get(apply_url(idea)).status_code == 403
    assert client.post(apply_url(idea), apply_data(partner)).status_code == 403
    assert snapshot() == before
    assert "ask an owner of yours" in client.get(idea.get_absolute_url()).text


def test_a_user_cannot_apply_for_an_organisation_they_only_view(
    client, idea, partner, partner_viewer
):
    mine = OrganisationFactory(country="EE")
    MembershipFactory(user=partner_viewer, organisation=mine, role=Role.OWNER)
    client.force_login(partner_viewer)
    before = snapshot()
    response = client.post(apply_url(idea), apply_data(partner))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert snapshot() == before


def test_an_outsider_gets_404_for_a_draft_idea(client, outsider, organisation):
    draft = ProjectIdeaFactory(lead=organisation, status=IdeaStatus.DRAFT)
    client.force_login(outsider)
    assert client.get(apply_url(draft)).status_code == 404
    assert client.post(apply_url(draft), {}).status_code == 404


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": IdeaStatus.CLOSED}, "no longer takes partners"),
        (
            {"closes_on": timezone.localdate() - datetime.timedelta(days=1)},
            "no longer takes partners",
        ),
    ],
)
def test_a_closed_idea_refuses_and_says_why(client, idea, partner, partner_owner, change, expected):
    for name, value in change.items():
        setattr(idea, name, value)
    idea.save()
    client.force_login(partner_owner)
    page = client.get(idea.get_absolute_url()).text
    assert expected in page
    assert apply_url(idea) not in page
    before = snapshot()
    response = client.post(apply_url(idea), apply_data(partner))
    assert response.status_code == 200
    assert expected in response.text
    assert snapshot() == before


def test_the_lead_cannot_apply_to_its_own_idea(client, idea, organisation, owner):
    client.force_login(owner)
    assert apply_url(idea) not in client.get(idea.get_absolute_url()).text
    before = snapshot()
    response = client.post(apply_url(idea), apply_data(organisation))
    assert "your own organisation" in response.text
    assert snapshot() == before


def test_already_applied_or_invited_refuses_and_links_to_it(
    client, idea, partner, partner_owner, invitation
):
    client.force_login(partner_owner)
    page = client.get(idea.get_absolute_url()).text
    assert "invitation to this idea waiting for an answer" in page
    assert detail_url(invitation) in page
    before = snapshot()
    response = client.post(apply_url(idea), apply_data(partner))
    assert response.status_code == 200
    assert "waiting for an answer" in response.text
    assert snapshot() == before


def test_a_call_that_excludes_the_country_is_named(client, organisation, partner, partner_owner):
    call = CallFactory(eligible_countries=["LV", "EE"])
    idea = ProjectIdeaFactory(lead=organisation, call=call)
    client.force_login(partner_owner)
    page = client.get(idea.get_absolute_url()).text
    assert "Lithuania" in page
    assert apply_url(idea) not in page
    before = snapshot()
    response = client.post(apply_url(idea), apply_data(partner))
    assert "Lithuania" in response.text
    assert snapshot() == before


def test_the_form_keeps_to_the_length_limits(client, idea, partner, partner_owner):
    client.force_login(partner_owner)
    before = snapshot()
    response = client.post(
        apply_url(idea), apply_data(partner, motivation="x" * 3001, proposed_role="y" * 201)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"motivation", "proposed_role"}
    response = client.post(apply_url(idea), apply_data(partner, motivation="   "))
    assert "motivation" in response.context["form"].errors
    assert snapshot() == before


def test_someone_with_several_organisations_chooses_which_applies(
    client, idea, partner, partner_owner
):
    second = OrganisationFactory(name="Tartu Volunteers", country="EE")
    MembershipFactory(user=partner_owner, organisation=second, role=Role.EDITOR)
    client.force_login(partner_owner)
    form = client.get(apply_url(idea)).context["form"]
    assert not form.fields["organisation"].widget.is_hidden
    assert {o.pk for o in form.fields["organisation"].queryset} == {partner.pk, second.pk}
    client.post(apply_url(idea), apply_data(second))
    assert PartnershipApplication.objects.get(idea=idea).organisation == second


# --- One application or invitation ------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_an_application(client, application):
    responses = [client.get(detail_url(application))]
    responses += [client.post(action_url(application, a)) for a in ("accept", "withdraw")]
    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_an_outsider_gets_404_for_an_application_and_its_actions(client, outsider, application):
    client.force_login(outsider)
    before = snapshot()
    assert client.get(detail_url(application)).status_code == 404
    for action in ("accept", "decline", "withdraw", "shortlist"):
        assert client.post(action_url(application, action)).status_code == 404
    assert snapshot() == before


def test_both_sides_read_the_application_with_score_reasons_and_history(
    client, application, owner, partner_owner
):
    for user in (owner, partner_owner):
        client.force_login(user)
        response = client.get(detail_url(application))
        assert response.status_code == 200
        text = response.text
        assert "We run a volunteering centre" in text
        assert "Hosts the second exchange" in text
        assert "72" in text and "shares 2 of 3 themes" in text
    # Each side sees the actions that are its own.
    client.force_login(owner)
    text = client.get(detail_url(application)).text
    assert action_url(application, "accept") in text
    assert action_url(application, "withdraw") not in text
    client.force_login(partner_owner)
    text = client.get(detail_url(application)).text
    assert action_url(application, "withdraw") in text
    assert action_url(application, "accept") not in text


def test_a_viewer_reads_but_every_action_is_403(client, application, member, partner_viewer):
    for user in (member, partner_viewer):
        client.force_login(user)
        response = client.get(detail_url(application))
        assert response.status_code == 200
        assert "/accept/" not in response.text and "/withdraw/" not in response.text
        before = snapshot()
        for action in ("accept", "decline", "withdraw", "shortlist", "unshortlist"):
            assert client.post(action_url(application, action)).status_code == 403
        assert snapshot() == before


def test_actions_are_post_only(client, owner, application):
    client.force_login(owner)
    assert client.get(action_url(application, "accept")).status_code == 405


def test_the_lead_accepts_an_application_and_the_partner_is_told(
    client, owner, partner_owner, application
):
    client.force_login(owner)
    response = client.post(
        action_url(application, "accept"), {"seen": "submitted", "note": "Welcome!"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert response.redirect_chain[-1][0] == detail_url(application)
    event = application.events.get(to_status=ApplicationStatus.ACCEPTED)
    assert event.by == owner and event.note == "Welcome!"
    assert Notification.objects.filter(
        recipient=partner_owner, kind="application-accepted"
    ).exists()
    # The partner is now in the consortium panel, for everyone.
    client.logout()
    page = client.get(application.idea.get_absolute_url()).text
    assert "Kaunas Youth Centre" in page and "Foundation" in page


def test_the_lead_declines_with_a_note_the_partner_reads(
    client, editor, partner_owner, application
):
    client.force_login(editor)
    client.post(action_url(application, "decline"), {"note": "We found a partner in Tartu."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    client.force_login(partner_owner)
    text = client.get(detail_url(application)).text
    assert "We found a partner in Tartu." in text
    assert "editor@example.org" not in text  # the history names organisations, not addresses
    assert application.idea.lead.name in text


def test_the_partner_cannot_accept_its_own_application(client, partner_owner, application):
    client.force_login(partner_owner)
    before = snapshot()
    assert client.post(action_url(application, "accept")).status_code == 403
    assert client.post(action_url(application, "shortlist")).status_code == 403
    assert snapshot() == before


def test_the_applicant_withdraws_and_the_lead_cannot(client, owner, partner_owner, application):
    client.force_login(owner)
    before = snapshot()
    assert client.post(action_url(application, "withdraw")).status_code == 403
    assert snapshot() == before
    client.force_login(partner_owner)
    client.post(action_url(application, "withdraw"), {"note": "Our board said no."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=owner, kind="application-withdrawn").exists()


@pytest.mark.parametrize("kind", [ApplicationKind.APPLICATION, ApplicationKind.INVITATION])
def test_the_lead_removes_an_accepted_partner_who_is_told(
    client, owner, member, outsider, partner_owner, application, kind
):
    # A partner that stopped answering: before, only the partner could leave.
    PartnershipApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.ACCEPTED, kind=kind
    )
    application.refresh_from_db()
    url = action_url(application, "remove")
    before = snapshot()
    assert client.post(url)["Location"].startswith(LOGIN)
    for user, status in ((outsider, 404), (member, 403), (partner_owner, 403)):
        client.force_login(user)
        assert client.post(url).status_code == status
        assert snapshot() == before
    client.force_login(owner)
    page = client.get(triage_url(application.idea)).text
    assert "Remove from the consortium…" in page
    response = client.post(url, {"note": "You have not answered since March."}, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "Kaunas Youth Centre is no longer in the consortium" in response.text
    told = render(Notification.objects.get(recipient=partner_owner, kind="partner-removed"))
    assert "removed Kaunas Youth Centre from the consortium" in told.title
    assert told.note == "You have not answered since March."
    client.force_login(partner_owner)
    assert "You have not answered since March." in client.get(detail_url(application)).text
    # Removed once: a second click is refused with a sentence and changes nothing.
    client.force_login(owner)
    before = snapshot()
    response = client.post(url, follow=True)
    assert "Only a partner in the consortium can be removed" in response.text
    assert snapshot() == before


def test_an_accepted_partner_is_removed_not_declined(client, owner, application):
    PartnershipApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.ACCEPTED
    )
    client.force_login(owner)
    before = snapshot()
    client.post(action_url(application, "decline"), {"seen": ApplicationStatus.ACCEPTED})
    assert snapshot() == before
    assert not Notification.objects.filter(kind="application-declined").exists()


def test_the_lead_shortlists_and_unshortlists(client, owner, application):
    client.force_login(owner)
    client.post(action_url(application, "shortlist"))
    application.refresh_from_db()
    assert application.shortlisted
    assert action_url(application, "unshortlist") in client.get(triage_url(application.idea)).text
    client.post(action_url(application, "unshortlist"))
    application.refresh_from_db()
    assert not application.shortlisted


def test_the_invited_organisation_accepts_and_the_lead_is_told(
    client, owner, partner_owner, invitation
):
    client.force_login(partner_owner)
    text = client.get(detail_url(invitation)).text
    assert "Your volunteering centre would be a great host." in text
    assert "Accept the invitation" in text
    client.post(action_url(invitation, "accept"), {"seen": "submitted"})
    invitation.refresh_from_db()
    assert invitation.status == ApplicationStatus.ACCEPTED
    assert Notification.objects.filter(recipient=owner, kind="invitation-accepted").exists()


def test_an_invitation_is_answered_by_the_partner_and_withdrawn_by_the_lead(
    client, owner, partner_owner, partner_viewer, invitation
):
    before = snapshot()
    client.force_login(owner)
    assert client.post(action_url(invitation, "accept")).status_code == 403
    assert client.post(action_url(invitation, "shortlist")).status_code == 403
    client.force_login(partner_owner)
    assert client.post(action_url(invitation, "withdraw")).status_code == 403
    client.force_login(partner_viewer)
    assert client.post(action_url(invitation, "decline")).status_code == 403
    assert snapshot() == before

    client.force_login(owner)
    client.post(action_url(invitation, "withdraw"))
    invitation.refresh_from_db()
    assert invitation.status == ApplicationStatus.WITHDRAWN
    assert Notification.objects.filter(
        recipient=partner_owner, kind="invitation-withdrawn"
    ).exists()


def test_a_decision_that_comes_too_late_changes_nothing_and_is_in_the_history(
    client, owner, editor, application
):
    # Both loaded the page while it was submitted; the owner accepted first.
    client.force_login(owner)
    client.post(action_url(application, "accept"), {"seen": "submitted"})
    before = snapshot()
    client.force_login(editor)
    response = client.post(
        action_url(application, "decline"), {"seen": "submitted", "note": "No"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert snapshot() == before
    assert any("Someone decided first" in text for text in texts(response))
    refused = application.events.get(refused=True)
    assert refused.to_status == ApplicationStatus.DECLINED and refused.by == editor
    assert "too late" in client.get(detail_url(application)).text


def test_a_too_long_note_is_refused_with_a_message(client, owner, application):
    client.force_login(owner)
    before = snapshot()
    response = client.post(action_url(application, "decline"), {"note": "n" * 2001}, follow=True)
    assert texts(response)
    assert snapshot() == before


def test_the_way_back_is_a_page_of_this_site_only(client, owner, application):
    client.force_login(owner)
    response = client.post(
        action_url(application, "shortlist"), {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == detail_url(application)
    response = client.post(
        action_url(application, "unshortlist"), {"next": triage_url(application.idea)}
    )
    assert response["Location"] == triage_url(application.idea)


def test_the_application_page_needs_the_same_queries_whatever_its_history(
    client, owner, application, django_assert_max_num_queries
):
    ApplicationEvent.objects.create(application=application, to_status="submitted", by=owner)
    client.force_login(owner)
    client.get(detail_url(application))  # warm the session and the content types
    with django_assert_max_num_queries(14) as short:
        client.get(detail_url(application))
    for note in ("one", "two", "three", "four"):
        ApplicationEvent.objects.create(
            application=application,
            from_status="submitted",
            to_status="accepted",
            by=owner,
            note=note,
            refused=True,
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(detail_url(application))
    assert "four" in response.text


# --- The lead's triage ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_the_triage_and_submit(client, idea):
    for response in (client.get(triage_url(idea)), client.post(submit_url(idea))):
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_outsiders_and_the_partner_get_404_on_the_triage(
    client, outsider, partner_owner, application
):
    idea = application.idea
    for user in (outsider, partner_owner):
        client.force_login(user)
        before = snapshot()
        assert client.get(triage_url(idea)).status_code == 404
        assert client.post(submit_url(idea)).status_code == 404
        assert snapshot() == before


def test_a_viewer_of_the_lead_sees_the_triage_without_actions(client, member, application):
    client.force_login(member)
    response = client.get(triage_url(application.idea))
    assert response.status_code == 200
    assert "Kaunas Youth Centre" in response.text
    assert action_url(application, "accept") not in response.text
    before = snapshot()
    assert client.post(submit_url(application.idea)).status_code == 403
    assert snapshot() == before


def test_the_lead_sorts_and_filters_applications(client, owner, idea):
    low = PartnershipApplicationFactory(idea=idea, score=20)
    high = PartnershipApplicationFactory(idea=idea, score=90)
    unscored = PartnershipApplicationFactory(idea=idea, score=None)
    invited = PartnershipApplicationFactory(idea=idea, score=50, kind=ApplicationKind.INVITATION)
    declined = PartnershipApplicationFactory(idea=idea, score=60, status=ApplicationStatus.DECLINED)
    client.force_login(owner)

    def listed(query=""):
        response = client.get(triage_url(idea) + query)
        assert response.status_code == 200
        return [a.pk for a in response.context["applications"]]

    assert listed() == [high.pk, declined.pk, invited.pk, low.pk, unscored.pk]
    assert listed("?sort=oldest") == [low.pk, high.pk, unscored.pk, invited.pk, declined.pk]
    assert listed("?sort=newest")[0] == declined.pk
    assert listed("?status=declined") == [declined.pk]
    assert listed("?kind=invitation") == [invited.pk]
    response = client.get(triage_url(idea) + "?status=nonsense&sort=score")
    assert response.status_code == 200
    assert response.context["ignored_filters"] == ["status"]
    assert len(response.context["applications"]) == 5


def test_the_shortlist_filter(client, owner, idea):
    kept = PartnershipApplicationFactory(idea=idea, shortlisted=True)
    PartnershipApplicationFactory(idea=idea)
    client.force_login(owner)
    response = client.get(triage_url(idea) + "?shortlisted=on")
    assert [a.pk for a in response.context["applications"]] == [kept.pk]


def test_the_triage_needs_the_same_queries_for_2_or_12_applications(
    client, owner, idea, django_assert_max_num_queries
):
    for _ in range(2):
        PartnershipApplicationFactory(idea=idea, score=40)
    client.force_login(owner)
    client.get(triage_url(idea))
    with django_assert_max_num_queries(20) as few:
        client.get(triage_url(idea))
    for index in range(10):
        PartnershipApplicationFactory(
            idea=idea,
            score=index,
            kind=ApplicationKind.INVITATION if index % 2 else ApplicationKind.APPLICATION,
            status=ApplicationStatus.ACCEPTED if index % 3 == 0 else ApplicationStatus.SUBMITTED,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(triage_url(idea))
    assert len(response.context["applications"]) == 12


def test_the_idea_page_needs_the_same_queries_for_few_or_many_invitations(
    client, owner, idea, django_assert_max_num_queries
):
    PartnershipApplicationFactory(idea=idea, kind=ApplicationKind.INVITATION)
    client.force_login(owner)
    client.get(idea.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        client.get(idea.get_absolute_url())
    for _ in range(8):
        PartnershipApplicationFactory(idea=idea, kind=ApplicationKind.INVITATION)
        PartnershipApplicationFactory(idea=idea, status=ApplicationStatus.ACCEPTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(idea.get_absolute_url())


def test_the_idea_page_shows_the_lead_counts_and_invitations_sent(
    client, owner, member, idea, invitation
):
    PartnershipApplicationFactory(idea=idea)
    PartnershipApplicationFactory(idea=idea)
    for user, can_withdraw in ((owner, True), (member, False)):
        client.force_login(user)
        text = client.get(idea.get_absolute_url()).text
        assert triage_url(idea) in text
        assert "2 applications waiting for your answer" in text
        assert "Kaunas Youth Centre" in text  # the invitation sent
        assert (action_url(invitation, "withdraw") in text) is can_withdraw


def test_submit_is_disabled_with_the_reasons_until_possible(client, owner, idea):
    client.force_login(owner)
    response = client.get(triage_url(idea))
    assert response.context["submit_problems"]
    assert "No partner has joined yet" in response.text
    assert 'disabled aria-describedby="submit-problems"' in response.text
    before = snapshot()
    response = client.post(submit_url(idea), follow=True)
    assert any("No partner has joined yet" in text for text in texts(response))
    assert snapshot() == before


def test_a_consortium_the_call_refuses_cannot_be_submitted(client, owner, organisation, partner):
    call = CallFactory(min_organisations=3, min_countries=2)
    idea = ProjectIdeaFactory(lead=organisation, call=call)
    PartnershipApplicationFactory(idea=idea, organisation=partner, status="accepted")
    client.force_login(owner)
    response = client.get(triage_url(idea))
    assert "Not eligible yet" in response.text
    before = snapshot()
    client.post(submit_url(idea))
    assert snapshot() == before


def test_the_lead_submits_an_eligible_consortium_for_review(
    client, owner, organisation, partner, partner_owner
):
    call = CallFactory(min_organisations=2, min_countries=2)
    idea = ProjectIdeaFactory(lead=organisation, call=call)
    accepted = PartnershipApplicationFactory(
        idea=idea, organisation=partner, status=ApplicationStatus.ACCEPTED
    )
    client.force_login(owner)
    page = client.get(triage_url(idea))
    assert page.context["submit_problems"] == []
    assert "Eligible" in page.text and "Lithuania" in page.text
    response = client.post(submit_url(idea), follow=True)
    assert response.redirect_chain[-1][0] == triage_url(idea)
    review = ConsortiumReview.objects.get(idea=idea)
    assert review.submitted_by == owner
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.UNDER_REVIEW
    assert "already waiting for staff review" in response.text
    assert Notification.objects.filter(
        recipient=partner_owner, kind="consortium-submitted"
    ).exists()


# --- Invite from a profile and from the suggestions page -------------------------------------


def test_the_profile_offers_invite_to_an_idea_only_to_its_lead_editors(
    client, owner, member, outsider, idea, partner
):
    assert invite_url(partner) not in client.get(partner.get_absolute_url()).text
    for user in (member, outsider):
        client.force_login(user)
        assert invite_url(partner) not in client.get(partner.get_absolute_url()).text
    client.force_login(owner)
    text = client.get(partner.get_absolute_url()).text
    assert invite_url(partner) in text and idea.title in text
    # Not on its own profile.
    assert invite_url(idea.lead) not in client.get(idea.lead.get_absolute_url()).text


def test_an_invitation_from_a_profile_reaches_the_partner(
    client, owner, idea, partner, partner_owner
):
    client.force_login(owner)
    response = client.post(
        invite_url(partner), {"idea": idea.pk, "note": "Come and host the second week."}
    )
    invitation = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert response["Location"] == detail_url(invitation)
    assert invitation.kind == ApplicationKind.INVITATION
    assert invitation.motivation == "Come and host the second week."
    notification = Notification.objects.get(recipient=partner_owner, kind="invitation-received")
    assert notification.url == detail_url(invitation)
    # The offer disappears once the invitation is pending.
    assert invite_url(partner) not in client.get(partner.get_absolute_url()).text


def test_profile_invitations_refused_leave_nothing(
    client, owner, member, outsider, idea, partner, invitation
):
    assert client.post(invite_url(partner), {"idea": idea.pk})["Location"].startswith(LOGIN)
    before = snapshot()
    for user in (member, outsider):
        client.force_login(user)
        assert client.post(invite_url(partner), {"idea": idea.pk}).status_code == 403
    client.force_login(owner)
    # Already invited; an idea of somebody else; an unknown organisation.
    response = client.post(invite_url(partner), {"idea": idea.pk}, follow=True)
    assert any("already" in text for text in texts(response))
    other = ProjectIdeaFactory()
    response = client.post(invite_url(partner), {"idea": other.pk}, follow=True)
    assert texts(response)
    assert (
        client.post(
            reverse("projects:organisation-invite", kwargs={"slug": "nobody"}), {"idea": idea.pk}
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_an_invitation_from_the_suggestions_page_carries_the_message(
    client, owner, idea, partner, partner_owner
):
    url = reverse("matching:invite", kwargs={"slug": idea.slug, "organisation": partner.slug})
    client.force_login(owner)
    before = snapshot()
    response = client.post(url, {"note": "m" * 3001}, follow=True)
    assert texts(response)
    assert snapshot() == before
    client.post(url, {"note": "Your youth centre fits our second exchange."})
    invitation = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert invitation.kind == ApplicationKind.INVITATION
    assert invitation.motivation == "Your youth centre fits our second exchange."
    client.force_login(partner_owner)
    assert "Your youth centre fits our second exchange." in client.get(detail_url(invitation)).text


@pytest.mark.parametrize(
    ("language", "apply", "triage"),
    [
        ("lv", "Pieteikties dalībai", "Pieteikumi un uzaicinājumi"),
        ("lt", "Pateikti paraišką prisijungti", "Paraiškos ir kvietimai"),
    ],
)
def test_the_pages_speak_latvian_and_lithuanian(
    client, settings, idea, owner, partner_owner, application, language, apply, triage
):
    other = ProjectIdeaFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(partner_owner)
    assert apply in client.get(other.get_absolute_url()).text
    client.force_login(owner)
    assert triage in client.get(triage_url(idea)).text


# --- A real double click, on PostgreSQL -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writes: no race to provoke"
)
def test_two_apply_clicks_at_the_same_moment_make_one_application(organisation):
    idea = ProjectIdeaFactory(lead=organisation)
    partner = OrganisationFactory(country="LT")
    user = verified_user("double@example.org")
    MembershipFactory(user=user, organisation=partner, role=Role.OWNER)
    clients = [Client(), Client()]
    for each in clients:
        each.force_login(user)
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def click(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(apply_url(idea), apply_data(partner))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    application = PartnershipApplication.objects.get(idea=idea, organisation=partner)
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {detail_url(application)}
    assert application.events.count() == 1


def test_a_stale_page_cannot_withdraw_an_invitation_already_accepted(
    client, owner, partner_owner, invitation
):
    client.force_login(partner_owner)
    client.post(action_url(invitation, "accept"), {"seen": "submitted"})
    before = snapshot()
    client.force_login(owner)
    response = client.post(action_url(invitation, "withdraw"), {"seen": "submitted"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.status == ApplicationStatus.ACCEPTED
    assert snapshot() == before
    assert any("still unanswered" in text for text in texts(response))
