"""The idea form and the status change check an idea against its call (issue 9, point 2).

A draft may break the call's rules; an open idea may not: editing an open
idea shows each broken rule next to its field, and opening a draft that
breaks them is refused with the same sentences.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import Kind
from projects.models import IdeaStatus, ProjectIdea
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ERASMUS = ["LV", "LT", "EE", "PL", "NO", "CZ"]


@pytest.fixture
def ka220():
    return CallFactory(
        code="KA220-YOU-T",
        min_organisations=3,
        min_countries=3,
        eligible_countries=ERASMUS,
        min_months=12,
        max_months=36,
        lump_sums="120000;250000;400000",
        deadline=TODAY + datetime.timedelta(days=90),
    )


@pytest.fixture
def solo_call():
    return CallFactory(code="ESC30-T", min_organisations=1, min_countries=1, partners_allowed=False)


def edit(idea):
    return reverse("projects:idea-update", kwargs={"slug": idea.slug})


def form_data(**overrides):
    data = {
        "title": "Youth workers across the Baltic",
        "summary": "Youth workers learn from each other.",
        "goals": "",
        "partners_wanted": "2",
        "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "start_date": (TODAY + datetime.timedelta(days=200)).isoformat(),
        "duration_months": "24",
        "budget": "250000",
        "countries_sought": ["LT", "NO"],
        "kinds_sought": ["association"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_idea(organisation, ka220):
    return ProjectIdeaFactory(
        lead=organisation,
        call=ka220,
        status=IdeaStatus.OPEN,
        partners_wanted=2,
        title="Youth workers across the Baltic",
    )


# The idea, one rule at a time: each refused next to its field, in words.
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", "2020-01-01", "The planned start must be in the future."),
        ("start_date", "TODAY+10", "starts after its deadline"),
        ("closes_on", "TODAY+120", "Partner applications must close by the call&#x27;s deadline"),
        ("duration_months", "60", "projects last 12 to 36 months"),
        ("budget", "1000000", "set the budget to one of them"),
        ("partners_wanted", "0", "This call needs at least 2 partners besides the lead."),
        ("countries_sought", ["AF", "US"], "Select a valid choice"),
    ],
)
def test_an_open_idea_keeps_the_rules_of_its_call(client, owner, open_idea, field, value, message):
    if isinstance(value, str) and value.startswith("TODAY+"):
        value = (TODAY + datetime.timedelta(days=int(value[6:]))).isoformat()
    client.force_login(owner)
    response = client.post(edit(open_idea), form_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # In the summary at the top, linked to the field, and again next to the field.
    assert f'href="#id_{field}' in html[: html.index(message)]
    beside = html.rindex(message)
    assert beside > html.index(message)
    assert f'id="id_{field}' in html[beside - 3000 : beside + 3000]
    open_idea.refresh_from_db()
    assert open_idea.partners_wanted == 2


def test_an_open_idea_that_keeps_the_rules_is_saved(client, owner, open_idea):
    client.force_login(owner)
    response = client.post(edit(open_idea), form_data(partners_wanted="3"))
    assert response.status_code == 302
    open_idea.refresh_from_db()
    assert open_idea.partners_wanted == 3


def test_a_draft_may_break_the_rules_but_cannot_be_opened(client, owner, organisation, ka220):
    client.force_login(owner)
    response = client.post(
        f"{reverse('projects:idea-create')}?call={ka220.code}",
        form_data(lead=organisation.pk, partners_wanted="0", duration_months="60"),
    )
    assert response.status_code == 302
    idea = ProjectIdea.objects.get()
    assert idea.status == IdeaStatus.DRAFT

    response = client.post(
        reverse("projects:idea-status", kwargs={"slug": idea.slug}),
        {"status": IdeaStatus.OPEN},
        follow=True,
    )
    html = response.content.decode()
    assert "This call needs at least 2 partners besides the lead." in html
    assert "projects last 12 to 36 months" in html
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT


def test_the_rules_are_said_in_latvian(client, owner, open_idea):
    client.force_login(owner)
    with translation.override("lv"):
        response = client.post(
            edit(open_idea), form_data(partners_wanted="0"), HTTP_ACCEPT_LANGUAGE="lv"
        )
    assert "Šim konkursam bez vadošās organizācijas vajadzīgi vismaz 2 partneri." in (
        response.content.decode()
    )


def test_countries_sought_are_the_calls_countries_as_checkboxes(client, owner, open_idea):
    client.force_login(owner)
    html = client.get(edit(open_idea)).content.decode()
    assert 'type="checkbox" name="countries_sought" value="LT"' in html
    assert 'value="AF"' not in html
    assert "Ctrl" not in html


def test_countries_sought_are_translated(client, owner, open_idea):
    client.force_login(owner)
    with translation.override("lt"):
        html = client.get(edit(open_idea), HTTP_ACCEPT_LANGUAGE="lt").content.decode()
    assert "Latvija" in html


def test_without_a_call_countries_are_grouped(client, owner, organisation):
    client.force_login(owner)
    html = client.get(f"{reverse('projects:idea-create')}?call=none").content.decode()
    assert "EU member states" in html
    assert "Neighbouring partner countries" in html


def test_an_idea_for_a_call_without_partners_seeks_none_and_stays_a_draft(
    client, owner, organisation, solo_call
):
    client.force_login(owner)
    url = f"{reverse('projects:idea-create')}?call={solo_call.code}"
    assert 'name="countries_sought"' not in client.get(url).content.decode()
    response = client.post(url, form_data(lead=organisation.pk, partners_wanted="0"))
    assert response.status_code == 302
    idea = ProjectIdea.objects.get()
    response = client.post(
        reverse("projects:idea-status", kwargs={"slug": idea.slug}),
        {"status": IdeaStatus.OPEN},
        follow=True,
    )
    assert "cannot be opened for partner applications" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT


def test_a_municipality_cannot_lead_an_idea_for_an_ngo_only_call(client, owner, organisation):
    organisation.kind = Kind.MUNICIPALITY
    organisation.save()
    acf = CallFactory(
        code="ACF-T",
        eligible_countries=["LV", "NO", "IS", "LI"],
        applicant_countries=["LV"],
        applicant_kinds=[Kind.ASSOCIATION, Kind.FOUNDATION, Kind.COMMUNITY_GROUP],
        required_countries=["NO", "IS", "LI"],
    )
    client.force_login(owner)
    response = client.post(
        f"{reverse('projects:idea-create')}?call={acf.code}",
        form_data(lead=organisation.pk, countries_sought=["NO"], partners_wanted="1"),
    )
    assert response.status_code == 200
    assert "cannot apply for this call: only association, community group and foundation" in (
        response.content.decode()
    )
    assert not ProjectIdea.objects.exists()


def test_a_partner_only_country_cannot_lead(client, owner, organisation):
    esc = CallFactory(
        code="ESC51-T",
        min_organisations=1,
        min_countries=1,
        eligible_countries=["LV", "LT", "UA"],
        applicant_countries=["LV", "LT"],
    )
    ukrainian = OrganisationFactory(country="UA")
    from organisations.models import Membership, Role

    Membership.objects.create(user=owner, organisation=ukrainian, role=Role.OWNER)
    client.force_login(owner)
    response = client.post(
        f"{reverse('projects:idea-create')}?call={esc.code}",
        form_data(lead=ukrainian.pk, countries_sought=["LV"], partners_wanted="1"),
    )
    assert response.status_code == 200
    assert "only organisations from Latvia and Lithuania can apply" in response.content.decode()


def test_editing_a_draft_lists_what_blocks_opening_it(client, owner, organisation, ka220):
    draft = ProjectIdeaFactory(
        lead=organisation, call=ka220, status=IdeaStatus.DRAFT, partners_wanted=0
    )
    client.force_login(owner)
    html = client.get(edit(draft)).content.decode()
    assert "Before this draft can be opened for partners" in html
    assert "This call needs at least 2 partners besides the lead." in html
