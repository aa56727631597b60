"""The staff review queue in the admin: who sees it, the decisions, the history, the CSV."""

import csv
import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from organisations.models import Notification, Role
from projects import partnerships
from projects.models import (
    ApplicationEvent,
    ApplicationStatus,
    ConsortiumReview,
    PartnershipApplication,
    ReviewStatus,
)
from tests.conftest import verified_user
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:projects_consortiumreview_changelist"


def with_mfa(user):
    """The admin opens only for staff with a second factor (StaffMFAMiddleware)."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    return user


@pytest.fixture
def reviewer(db):
    user = with_mfa(verified_user("reviewer@example.org", is_staff=True))
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def plain_staff(db):
    """Staff who may view and change reviews as a model, but lack review_partnerships."""
    user = with_mfa(verified_user("clerk@example.org", is_staff=True))
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects",
            codename__in=[
                "view_consortiumreview",
                "change_consortiumreview",
                "view_partnershipapplication",
            ],
        )
    )
    return user


@pytest.fixture
def consortium(db):
    """A lead from Latvia and an accepted partner from Lithuania, with a thread, submitted."""
    lead = OrganisationFactory(name="Jauniešu centrs Rīga", country="LV", is_verified=True)
    partner = OrganisationFactory(name="Jaunimo tiltai", country="LT", is_verified=False)
    lead_owner = verified_user("lead@example.org")
    partner_owner = verified_user("partner@example.org")
    MembershipFactory(user=lead_owner, organisation=lead, role=Role.OWNER)
    MembershipFactory(user=partner_owner, organisation=partner, role=Role.OWNER)
    idea = ProjectIdeaFactory(lead=lead, call=CallFactory(code="KA210-YOU-TEST"))
    application = partnerships.application_apply(
        idea=idea,
        organisation=partner,
        by=partner_owner,
        motivation="We run a volunteering centre in Klaipėda and would like to share how.",
        proposed_role="Hosts the second exchange",
    )
    # The match as it was when they applied, made explicit so the page is predictable.
    PartnershipApplication.objects.filter(pk=application.pk).update(
        score=72,
        score_components={"goals": 80, "country": 100},
        score_reasons=["shares 3 of 4 themes: inclusion, volunteering, participation"],
    )
    application.refresh_from_db()
    partnerships.application_accept(application=application, by=lead_owner, note="Welcome!")
    thread = partnerships.conversation_for_application(application, by=lead_owner)
    partnerships.message_post(
        conversation=thread, sender=lead, by=lead_owner, body="Can you host in May?"
    )
    review = partnerships.consortium_submit(idea=idea, by=lead_owner)
    return {
        "review": review,
        "idea": idea,
        "lead": lead,
        "partner": partner,
        "application": application,
        "lead_owner": lead_owner,
        "partner_owner": partner_owner,
    }


def _action(client, name, review, **extra):
    return client.post(
        reverse(CHANGELIST), {"action": name, "_selected_action": [review.pk], **extra}
    )


# --- Who sees the queue ---------------------------------------------------------------------


def test_anonymous_is_sent_to_the_admin_login(client, consortium):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_the_review_permission_cannot_see_the_queue(client, plain_staff, consortium):
    client.force_login(plain_staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    change = reverse("admin:projects_consortiumreview_change", args=[consortium["review"].pk])
    assert client.get(change).status_code == 403
    decide = reverse("admin:projects_consortiumreview_decide", args=[consortium["review"].pk])
    assert client.get(decide).status_code == 403
    assert client.post(decide, {"decision": "approved", "note": "fine"}).status_code == 403
    assert "Consortium reviews" not in client.get(reverse("admin:index")).content.decode()
    consortium["review"].refresh_from_db()
    assert consortium["review"].status == ReviewStatus.UNDER_REVIEW


def test_a_reviewer_sees_the_queue(client, reviewer, consortium):
    client.force_login(reviewer)
    assert "Consortium reviews" in client.get(reverse("admin:index")).content.decode()
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert consortium["idea"].title in response.content.decode()


def test_a_superuser_sees_the_queue(client, staff, consortium):
    client.force_login(with_mfa(staff))
    assert client.get(reverse(CHANGELIST)).status_code == 200


@pytest.mark.parametrize(
    ("params", "listed"),
    [
        ({"status__exact": "under-review"}, True),
        ({"status__exact": "approved"}, False),
        ({"country": "LT"}, True),
        ({"country": "LV"}, True),
        ({"country": "NO"}, False),
        ({"verified": "not"}, True),
        ({"verified": "all"}, False),
        ({"waiting": "3d"}, False),
        ({"q": "Jaunimo"}, False),  # search is on the idea, its lead and the note
        ({"q": "Rīga"}, True),
    ],
)
def test_queue_filters(client, reviewer, consortium, params, listed):
    client.force_login(reviewer)
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    assert (consortium["idea"].title in response.content.decode()) is listed


def test_waiting_filter_lists_reviews_waiting_longer(client, reviewer, consortium):
    review = consortium["review"]
    ConsortiumReview.objects.filter(pk=review.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=5)
    )
    client.force_login(reviewer)
    page = client.get(reverse(CHANGELIST), {"waiting": "3d"}).content.decode()
    assert consortium["idea"].title in page
    page = client.get(reverse(CHANGELIST), {"waiting": "2w"}).content.decode()
    assert consortium["idea"].title not in page


def test_programme_and_call_filters(client, reviewer, consortium):
    client.force_login(reviewer)
    idea = consortium["idea"]
    page = client.get(reverse(CHANGELIST), {"idea__call__id__exact": idea.call_id}).content
    assert idea.title in page.decode()
    programme = idea.call.programme_id
    page = client.get(reverse(CHANGELIST), {"idea__programme__id__exact": programme}).content
    assert idea.title in page.decode()


def test_review_page_shows_scores_history_and_messages_readably(client, reviewer, consortium):
    client.force_login(reviewer)
    url = reverse("admin:projects_consortiumreview_change", args=[consortium["review"].pk])
    page = client.get(url).content.decode()
    assert "Jaunimo tiltai" in page
    assert "Hosts the second exchange" in page
    assert "shares 3 of 4 themes: inclusion, volunteering, participation" in page
    assert '<meter min="0" max="100" value="80">' in page
    assert '"goals"' not in page  # never the raw JSON
    assert "Accepted by the lead" in page  # the history
    assert "Welcome!" in page
    assert "Can you host in May?" in page  # the thread
    # Decisions are offered; nothing on the page can be saved.
    assert "decide/?decision=approved" in page
    assert 'name="_save"' not in page


def test_a_reviewer_may_open_the_idea_and_its_lead_in_the_admin(client, reviewer, consortium):
    client.force_login(reviewer)
    review = consortium["review"]
    page = client.get(reverse("admin:projects_consortiumreview_change", args=[review.pk]))
    idea_url = reverse("admin:projects_projectidea_change", args=[review.idea.pk])
    assert idea_url in page.content.decode()

    idea_page = client.get(idea_url)
    lead_page = client.get(
        reverse("admin:organisations_organisation_change", args=[review.idea.lead.pk])
    )

    assert idea_page.status_code == 200 and review.idea.title in idea_page.content.decode()
    assert lead_page.status_code == 200
    # Reading only: nothing on the idea's page can be saved.
    assert 'name="_save"' not in idea_page.content.decode()


# --- Decisions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "review_status", "application_status", "kind"),
    [
        ("approve", ReviewStatus.APPROVED, ApplicationStatus.APPROVED, "review-approved"),
        ("reject", ReviewStatus.REJECTED, ApplicationStatus.REJECTED, "review-rejected"),
        (
            "request_changes",
            ReviewStatus.CHANGES_REQUESTED,
            ApplicationStatus.ACCEPTED,
            "review-changes",
        ),
    ],
)
def test_decision_actions_need_a_note_and_notify_everyone(
    client, reviewer, consortium, action, review_status, application_status, kind
):
    review, application = consortium["review"], consortium["application"]
    client.force_login(reviewer)

    # First the intermediate page with the note form.
    response = _action(client, action, review)
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()

    # An empty note is refused: the page comes back with the reason, nothing changes.
    response = _action(client, action, review, post="yes", note="   ")
    assert response.status_code == 200
    assert "Write a note" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.UNDER_REVIEW
    assert not Notification.objects.filter(kind=kind).exists()

    response = _action(client, action, review, post="yes", note="Budget lines checked.")
    assert response.status_code == 302
    review.refresh_from_db()
    application.refresh_from_db()
    assert review.status == review_status
    assert review.decided_by == reviewer
    assert review.note == "Budget lines checked."
    assert application.status == application_status
    told = Notification.objects.filter(kind=kind)
    assert {n.recipient for n in told} == {consortium["lead_owner"], consortium["partner_owner"]}
    assert all(n.params["note"] == "Budget lines checked." for n in told)


def test_decide_page_of_one_review(client, reviewer, consortium):
    review = consortium["review"]
    client.force_login(reviewer)
    url = reverse("admin:projects_consortiumreview_decide", args=[review.pk])
    page = client.get(url, {"decision": "rejected"}).content.decode()
    assert 'value="rejected"' in page and 'name="note"' in page

    response = client.post(url, {"decision": "rejected", "note": ""})
    assert response.status_code == 200
    assert "Write a note" in response.content.decode()
    response = client.post(url, {"decision": "sideways", "note": "x"})
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == ReviewStatus.UNDER_REVIEW

    response = client.post(url, {"decision": "rejected", "note": "Only one country."}, follow=True)
    assert "The lead and the partners are told" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED


def test_a_reviewer_belonging_to_the_consortium_is_refused(client, reviewer, consortium):
    MembershipFactory(user=reviewer, organisation=consortium["partner"], role=Role.VIEWER)
    review = consortium["review"]
    client.force_login(reviewer)
    response = _action(client, "approve", review, post="yes", note="Looks good to me.")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "another reviewer must decide" in page
    url = reverse("admin:projects_consortiumreview_decide", args=[review.pk])
    response = client.post(url, {"decision": "approved", "note": "Still me."}, follow=True)
    assert "another reviewer must decide" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.UNDER_REVIEW
    assert not Notification.objects.filter(kind="review-approved").exists()


def test_a_second_decision_is_refused_and_both_are_in_the_history(client, reviewer, consortium):
    review, application = consortium["review"], consortium["application"]
    other = with_mfa(verified_user("second@example.org", is_staff=True))
    other.groups.add(Group.objects.get(name="Reviewers"))

    client.force_login(reviewer)
    _action(client, "approve", review, post="yes", note="Approved: strong consortium.")
    client.force_login(other)
    response = _action(client, "reject", review, post="yes", note="Rejected: too late.")
    page = client.get(response["Location"]).content.decode()
    assert "already decided" in page

    review.refresh_from_db()
    application.refresh_from_db()
    assert (review.status, review.decided_by) == (ReviewStatus.APPROVED, reviewer)
    assert application.status == ApplicationStatus.APPROVED
    last_two = list(ApplicationEvent.objects.filter(application=application).order_by("-pk")[:2])
    refused, approved = last_two
    assert (approved.to_status, approved.refused, approved.by) == ("approved", False, reviewer)
    assert (refused.to_status, refused.refused, refused.by) == ("rejected", True, other)
    assert refused.note == "Rejected: too late."
    # The review page shows the refused attempt.
    change = reverse("admin:projects_consortiumreview_change", args=[review.pk])
    assert "refused: someone decided first" in client.get(change).content.decode()


# --- Export ---------------------------------------------------------------------------------


def test_decisions_export_to_csv_with_formulas_neutralised(client, reviewer, consortium):
    review = consortium["review"]
    client.force_login(reviewer)
    _action(client, "approve", review, post="yes", note='=HYPERLINK("http://evil.example")')
    response = _action(client, "export_csv", review)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["idea"] == consortium["idea"].title
    assert row["lead"] == "Jauniešu centrs Rīga"
    assert row["call"] == "KA210-YOU-TEST"
    assert row["members"] == "Jauniešu centrs Rīga; Jaunimo tiltai"
    assert row["countries"] == "LT; LV"
    assert row["status"] == "approved"
    assert row["decided_by"] == "reviewer@example.org"
    assert row["note"] == '\'=HYPERLINK("http://evil.example")'


def test_staff_without_the_permission_cannot_export(client, plain_staff, consortium):
    client.force_login(plain_staff)
    response = _action(client, "export_csv", consortium["review"])
    assert response.status_code == 403


# --- Applications, conversations: read-only ----------------------------------------------------


def test_applications_are_read_only_in_the_admin(client, staff, consortium):
    application = consortium["application"]
    client.force_login(with_mfa(staff))
    url = reverse("admin:projects_partnershipapplication_change", args=[application.pk])
    page = client.get(url).content.decode()
    assert "We run a volunteering centre in Klaipėda" in page
    assert 'name="motivation"' not in page
    assert 'name="_save"' not in page
    assert '<meter min="0" max="100" value="100">' in page  # the score, readably
    assert "shares 3 of 4 themes" in page
    assert "Can you host in May?" in page
    response = client.post(url, {"motivation": "Rewritten by staff", "status": "approved"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.motivation.startswith("We run a volunteering centre")
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert client.get(reverse("admin:projects_partnershipapplication_add")).status_code == 403
    delete = reverse("admin:projects_partnershipapplication_delete", args=[application.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PartnershipApplication.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("model", ["consortiumreview", "conversation"])
def test_reviews_and_conversations_cannot_be_added_or_deleted(client, staff, consortium, model):
    client.force_login(with_mfa(staff))
    assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 403
    obj = (
        consortium["review"]
        if model == "consortiumreview"
        else consortium["application"].conversation
    )
    response = client.post(
        reverse(f"admin:projects_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )
    assert response.status_code == 403


def test_a_reviewer_reads_a_conversation_with_its_messages(client, reviewer, consortium):
    client.force_login(reviewer)
    conversation = consortium["application"].conversation
    url = reverse("admin:projects_conversation_change", args=[conversation.pk])
    page = client.get(url).content.decode()
    assert "Can you host in May?" in page
    assert 'name="_save"' not in page


def test_the_queue_loads_in_a_constant_number_of_queries(client, reviewer, consortium):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured.captured_queries)

    client.force_login(reviewer)
    one = queries()
    for _ in range(4):
        idea = ProjectIdeaFactory(lead=OrganisationFactory(country="EE"), call=CallFactory())
        ConsortiumReview.objects.create(
            idea=idea,
            snapshot={"members": [{"id": idea.lead_id, "name": "x", "role": "lead"}]},
        )
    assert queries() == one


def test_a_decision_url_with_a_bad_id_is_a_normal_answer_not_a_500(client, staff):
    client.force_login(staff)
    response = client.get("/admin/projects/consortiumreview/x/decide/")
    assert response.status_code in (302, 404)
