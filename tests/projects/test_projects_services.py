import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from organisations.models import Kind
from projects import services
from projects.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    IdeaStatus,
    ProjectIdea,
)
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def idea_data(**overrides):
    data = {
        "title": "Liepāja youth volunteering exchange",
        "summary": "Volunteers from two towns learn from each other.",
        "closes_on": TODAY + datetime.timedelta(days=30),
    }
    data.update(overrides)
    return data


def test_idea_create_saves_a_draft_with_a_slug_without_diacritics(organisation, owner):
    idea = services.idea_create(lead=organisation, by=owner, **idea_data())

    assert idea.status == IdeaStatus.DRAFT
    assert idea.slug == "liepaja-youth-volunteering-exchange"
    assert idea.created_by == owner


def test_idea_create_adds_a_number_when_the_slug_is_taken(organisation, owner):
    other = OrganisationFactory()
    first = services.idea_create(lead=organisation, by=owner, **idea_data())
    second = services.idea_create(lead=other, by=owner, **idea_data())

    assert first.slug == "liepaja-youth-volunteering-exchange"
    assert second.slug == "liepaja-youth-volunteering-exchange-2"


def test_idea_create_takes_the_programme_from_the_call(organisation, owner):
    call = CallFactory()
    idea = services.idea_create(lead=organisation, by=owner, call=call, **idea_data())
    assert idea.programme == call.programme


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on"),
        ({"partners_wanted": -1}, "partners_wanted"),
        ({"title": ""}, "title"),
    ],
)
def test_idea_create_refuses_bad_input_and_saves_nothing(organisation, owner, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.idea_create(lead=organisation, by=owner, **idea_data(**overrides))
    assert field in error.value.message_dict
    assert not ProjectIdea.objects.exists()


def test_idea_create_refuses_a_call_that_excludes_the_lead_country(organisation, owner):
    call = CallFactory(code="INTERREG-LATLIT-T", eligible_countries=["LT", "EE"])

    with pytest.raises(ValidationError) as error:
        services.idea_create(lead=organisation, by=owner, call=call, **idea_data())

    assert "Latvia" in error.value.message_dict["call"][0]
    assert "not eligible" in error.value.message_dict["call"][0]


def test_idea_create_refuses_a_call_that_excludes_the_lead_kind(organisation, owner):
    call = CallFactory(allowed_kinds=[Kind.MUNICIPALITY, Kind.SCHOOL])

    with pytest.raises(ValidationError) as error:
        services.idea_create(lead=organisation, by=owner, call=call, **idea_data())

    assert "association" in error.value.message_dict["call"][0]


def test_idea_create_refuses_a_second_idea_with_the_same_title(organisation, owner):
    services.idea_create(lead=organisation, by=owner, **idea_data())
    with pytest.raises(ValidationError):
        services.idea_create(lead=organisation, by=owner, **idea_data())
    assert ProjectIdea.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (IdeaStatus.DRAFT, IdeaStatus.OPEN),
        (IdeaStatus.OPEN, IdeaStatus.CLOSED),
        (IdeaStatus.CLOSED, IdeaStatus.OPEN),
        (IdeaStatus.OPEN, IdeaStatus.ARCHIVED),
        (IdeaStatus.OPEN, IdeaStatus.DRAFT),
    ],
)
def test_idea_set_status_allows_sensible_transitions(owner, start, to):
    idea = ProjectIdeaFactory(status=start)
    services.idea_set_status(idea=idea, status=to, by=owner)
    idea.refresh_from_db()
    assert idea.status == to


@pytest.mark.parametrize(
    ("start", "to", "words"),
    [
        (IdeaStatus.ARCHIVED, IdeaStatus.OPEN, "cannot become"),
        (IdeaStatus.DRAFT, IdeaStatus.CLOSED, "cannot become"),
        (IdeaStatus.OPEN, IdeaStatus.OPEN, "already"),
        (IdeaStatus.OPEN, "published", "Unknown"),
    ],
)
def test_idea_set_status_refuses_bad_transitions_with_a_message(owner, start, to, words):
    idea = ProjectIdeaFactory(status=start)
    with pytest.raises(ValidationError) as error:
        services.idea_set_status(idea=idea, status=to, by=owner)
    assert words in " ".join(error.value.messages)
    idea.refresh_from_db()
    assert idea.status == start


def test_idea_set_status_refuses_to_open_an_idea_past_its_closing_date(owner):
    idea = ProjectIdeaFactory(
        status=IdeaStatus.CLOSED, closes_on=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        services.idea_set_status(idea=idea, status=IdeaStatus.OPEN, by=owner)
    assert "closes_on" in error.value.message_dict


def test_application_invite_records_an_invitation_and_its_first_event(owner):
    idea = ProjectIdeaFactory()
    partner = OrganisationFactory(country="LT")

    application = services.application_invite(
        idea=idea,
        organisation=partner,
        by=owner,
        score=82,
        components={"goals": 0.9},
        reasons=["shares 3 of 4 themes"],
        note="Would you like to join?",
    )

    assert application.kind == ApplicationKind.INVITATION
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.score, application.score_components) == (82, {"goals": 0.9})
    assert application.score_reasons == ["shares 3 of 4 themes"]
    event = application.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", "submitted", owner)
    assert event.note == "Would you like to join?"


def test_application_invite_refuses_the_lead(owner):
    idea = ProjectIdeaFactory()
    with pytest.raises(ValidationError, match="lead"):
        services.application_invite(idea=idea, organisation=idea.lead, by=owner)


def test_application_invite_refuses_a_second_application(owner):
    application = PartnershipApplicationFactory()
    with pytest.raises(ValidationError, match="already"):
        services.application_invite(
            idea=application.idea, organisation=application.organisation, by=owner
        )


@pytest.mark.parametrize(
    "idea_kwargs",
    [
        {"status": IdeaStatus.DRAFT},
        {"status": IdeaStatus.CLOSED},
        {"closes_on": TODAY - datetime.timedelta(days=1)},
    ],
)
def test_application_invite_refuses_an_idea_that_is_not_open(owner, idea_kwargs):
    idea = ProjectIdeaFactory(**idea_kwargs)
    with pytest.raises(ValidationError, match="open"):
        services.application_invite(idea=idea, organisation=OrganisationFactory(), by=owner)
    assert not ApplicationEvent.objects.exists()


def test_application_transition_walks_the_whole_flow_with_history(owner, staff):
    application = PartnershipApplicationFactory()
    for to_status, by in [
        (ApplicationStatus.ACCEPTED, owner),
        (ApplicationStatus.UNDER_REVIEW, owner),
        (ApplicationStatus.APPROVED, staff),
    ]:
        services.application_transition(
            application=application, to_status=to_status, by=by, note="ok"
        )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert [(e.from_status, e.to_status) for e in application.events.all()] == [
        ("submitted", "accepted"),
        ("accepted", "under-review"),
        ("under-review", "approved"),
    ]
    assert application.events.last().by == staff


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW),
        (ApplicationStatus.DECLINED, ApplicationStatus.ACCEPTED),
        (ApplicationStatus.APPROVED, ApplicationStatus.WITHDRAWN),
        (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN),
        (ApplicationStatus.SUBMITTED, "nonsense"),
    ],
)
def test_application_transition_refuses_other_moves(owner, start, to):
    application = PartnershipApplicationFactory(status=start)
    with pytest.raises(ValidationError, match="cannot become"):
        services.application_transition(application=application, to_status=to, by=owner)
    application.refresh_from_db()
    assert application.status == start
    assert not application.events.exists()
