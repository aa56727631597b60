import pytest

from projects.consortium import consortium_of, eligibility_of
from projects.models import ApplicationStatus
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db


def test_consortium_is_the_lead_then_partners_that_reached_the_consortium():
    idea = ProjectIdeaFactory()
    joined = {}
    for status in ApplicationStatus.values:
        partner = OrganisationFactory(name=f"Partner {status}")
        PartnershipApplicationFactory(idea=idea, organisation=partner, status=status)
        joined[status] = partner

    consortium = consortium_of(idea)

    assert consortium[0] == idea.lead
    assert set(consortium[1:]) == {
        joined[ApplicationStatus.ACCEPTED],
        joined[ApplicationStatus.UNDER_REVIEW],
        joined[ApplicationStatus.APPROVED],
    }


def test_consortium_ignores_applications_to_other_ideas():
    idea = ProjectIdeaFactory()
    PartnershipApplicationFactory(status=ApplicationStatus.ACCEPTED)
    assert consortium_of(idea) == [idea.lead]


def test_eligibility_counts_accepted_partners_only():
    call = CallFactory(min_organisations=2, min_countries=2)
    idea = ProjectIdeaFactory(call=call)
    PartnershipApplicationFactory(
        idea=idea,
        organisation=OrganisationFactory(country="LT"),
        status=ApplicationStatus.SUBMITTED,
    )
    assert not eligibility_of(idea).eligible

    PartnershipApplicationFactory(
        idea=idea, organisation=OrganisationFactory(country="EE"), status=ApplicationStatus.ACCEPTED
    )
    assert eligibility_of(idea).eligible


def test_eligibility_is_none_without_a_call():
    assert eligibility_of(ProjectIdeaFactory(call=None)) is None


def test_consortium_costs_one_query(django_assert_num_queries):
    idea = ProjectIdeaFactory()
    for country in ("LT", "EE", "FI"):
        PartnershipApplicationFactory(
            idea=idea, organisation=OrganisationFactory(country=country), status="accepted"
        )
    idea = type(idea).objects.select_related("lead").get(pk=idea.pk)
    with django_assert_num_queries(1):
        assert len(consortium_of(idea)) == 4
