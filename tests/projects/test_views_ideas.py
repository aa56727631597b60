import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from organisations.models import Kind
from organisations.taxonomy import TargetGroup
from projects.idea_index import idea_index
from projects.models import ApplicationStatus, IdeaStatus, ProjectIdea
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("projects:idea-list")
CREATE = reverse("projects:idea-create")


def edit_url(idea):
    return reverse("projects:idea-update", kwargs={"slug": idea.slug})


def status_url(idea):
    return reverse("projects:idea-status", kwargs={"slug": idea.slug})


def form_data(**overrides):
    data = {
        "title": "Youth volunteering in Liepāja",
        "summary": "Young volunteers learn from each other.",
        "goals": "",
        "partners_wanted": "2",
        "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "countries_sought": ["LT"],
        "kinds_sought": ["association"],
    }
    data.update(overrides)
    return data


# Permission matrix -------------------------------------------------------------------


@pytest.fixture
def idea(organisation):
    return ProjectIdeaFactory(lead=organisation, status=IdeaStatus.OPEN)


@pytest.fixture
def draft(organisation):
    return ProjectIdeaFactory(lead=organisation, status=IdeaStatus.DRAFT)


def test_anonymous_is_sent_to_login_for_every_write(client, idea):
    for response in (
        client.get(CREATE),
        client.get(edit_url(idea)),
        client.post(edit_url(idea), form_data()),
        client.post(status_url(idea), {"status": "closed"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_reads_published_ideas_but_not_drafts(client, idea, draft):
    assert client.get(idea.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_outsider_gets_404_for_edit_status_and_someone_elses_draft(client, outsider, idea, draft):
    client.force_login(outsider)
    assert client.get(idea.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(edit_url(idea)).status_code == 404
    assert client.post(edit_url(idea), form_data()).status_code == 404
    assert client.post(status_url(idea), {"status": "closed"}).status_code == 404
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


def test_viewer_reads_the_draft_but_gets_403_for_writes(client, member, idea, draft):
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(edit_url(idea)).status_code == 403
    assert client.post(edit_url(idea), form_data()).status_code == 403
    assert client.post(status_url(draft), {"status": "open"}).status_code == 403
    assert client.get(CREATE).status_code == 403
    draft.refresh_from_db()
    assert draft.status == IdeaStatus.DRAFT


@pytest.mark.parametrize("user_fixture", ["owner", "editor"])
def test_owner_and_editor_edit_and_change_status(client, request, user_fixture, idea, draft):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(edit_url(idea)).status_code == 200
    response = client.post(edit_url(idea), form_data(title="A better title"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "A better title"

    response = client.post(status_url(draft), {"status": "open"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == IdeaStatus.OPEN


def test_a_refused_status_change_shows_a_message(client, owner, organisation):
    archived = ProjectIdeaFactory(lead=organisation, status=IdeaStatus.ARCHIVED)
    client.force_login(owner)
    response = client.post(status_url(archived), {"status": "open"}, follow=True)
    assert "cannot become" in response.content.decode()
    archived.refresh_from_db()
    assert archived.status == IdeaStatus.ARCHIVED


def test_status_action_needs_post(client, owner, idea):
    client.force_login(owner)
    assert client.get(status_url(idea)).status_code == 405


# Creating an idea ----------------------------------------------------------------------


def test_create_starts_by_choosing_a_call(client, owner):
    call = CallFactory(title="Small-scale partnerships")
    CallFactory(code="PAST", deadline=TODAY - datetime.timedelta(days=1))
    client.force_login(owner)

    html = client.get(CREATE).content.decode()

    assert call.code in html
    assert "PAST" not in html
    assert "No specific call yet" in html
    assert 'name="title"' not in html


def test_the_form_shows_what_the_chosen_call_requires(client, owner):
    call = CallFactory(
        min_organisations=2,
        min_countries=2,
        required_countries=["NO", "IS", "LI"],
        required_group_label="a donor state (Norway, Iceland or Liechtenstein)",
    )
    client.force_login(owner)

    html = client.get(CREATE, {"call": call.code}).content.decode()

    assert "At least 2 organisations from 2 different countries" in html
    assert "At least one organisation from a donor state (Norway, Iceland or Liechtenstein)" in html
    assert 'name="title"' in html


def test_an_unknown_call_goes_back_to_step_one_with_a_notice(client, owner):
    client.force_login(owner)
    response = client.get(CREATE, {"call": "NOPE"})
    assert response.status_code == 200
    assert "does not exist" in response.content.decode()


def test_owner_creates_a_draft_for_the_call(client, owner, organisation):
    call = CallFactory()
    client.force_login(owner)

    response = client.post(f"{CREATE}?call={call.code}", form_data(lead=organisation.pk))

    idea = ProjectIdea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert (idea.lead, idea.call, idea.programme, idea.status) == (
        organisation,
        call,
        call.programme,
        IdeaStatus.DRAFT,
    )
    assert idea.slug == "youth-volunteering-in-liepaja"
    assert [c.code for c in idea.countries_sought] == ["LT"]


def test_the_form_asks_which_kinds_are_sought_and_the_idea_shows_them(client, owner, organisation):
    client.force_login(owner)
    html = client.get(CREATE, {"call": "none"}).content.decode()
    assert "Which kinds of organisation are you looking for?" in html
    assert "Leave empty if any kind is welcome" in html
    with translation.override("lv"):
        html = client.get(CREATE, {"call": "none"}, HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Kāda veida organizācijas jūs meklējat?" in html

    form = form_data(lead=organisation.pk, kinds_sought=["school", "municipality"])
    client.post(f"{CREATE}?call=none", form)
    idea = ProjectIdea.objects.get()
    assert sorted(idea.kinds_sought) == ["municipality", "school"]
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Municipality" in page and "School" in page

    # Nothing ticked: any kind is welcome, and the idea says so.
    client.post(edit_url(idea), dict(form_data(), kinds_sought=[]))
    idea.refresh_from_db()
    assert idea.kinds_sought == []
    assert "any kind" in client.get(idea.get_absolute_url()).content.decode()


def test_owner_creates_an_idea_without_a_call(client, owner, organisation):
    client.force_login(owner)
    response = client.post(f"{CREATE}?call=none", form_data(lead=organisation.pk))
    assert response.status_code == 302
    assert ProjectIdea.objects.get().call is None


def test_lead_is_chosen_among_editable_organisations_only(client, owner, outsider):
    foreign = OrganisationFactory()
    client.force_login(owner)
    response = client.post(f"{CREATE}?call=none", form_data(lead=foreign.pk))
    assert response.status_code == 200
    assert not ProjectIdea.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_on": "2020-01-01"}, "cannot be in the past"),
        ({"partners_wanted": "-1"}, "greater than or equal to 0"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(client, owner, organisation, overrides, message):
    client.force_login(owner)
    response = client.post(f"{CREATE}?call=none", form_data(lead=organisation.pk, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectIdea.objects.exists()


@pytest.mark.parametrize(
    ("call_kwargs", "message"),
    [
        ({"eligible_countries": ["LT", "EE"]}, "which is not eligible for this call"),
        ({"allowed_kinds": [Kind.MUNICIPALITY]}, "not an eligible kind of organisation"),
    ],
)
def test_a_call_that_excludes_the_lead_is_refused(
    client, owner, organisation, call_kwargs, message
):
    call = CallFactory(**call_kwargs)
    client.force_login(owner)
    response = client.post(f"{CREATE}?call={call.code}", form_data(lead=organisation.pk))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectIdea.objects.exists()


def test_editing_can_aim_the_idea_at_another_call(client, owner, idea):
    call = CallFactory()
    client.force_login(owner)
    html = client.get(edit_url(idea), {"call": call.code}).content.decode()
    assert f"What the call {call.code} requires" in html
    client.post(f"{edit_url(idea)}?call={call.code}", form_data())
    idea.refresh_from_db()
    assert idea.call == call


# Detail page -----------------------------------------------------------------------------


def test_detail_shows_lead_consortium_and_what_is_sought(client, organisation):
    idea = ProjectIdeaFactory(
        lead=organisation, countries_sought=["LT", "EE"], kinds_sought=["school"]
    )
    partner = OrganisationFactory(name="Kauno mokykla", country="LT")
    PartnershipApplicationFactory(
        idea=idea, organisation=partner, status=ApplicationStatus.ACCEPTED
    )
    PartnershipApplicationFactory(
        idea=idea, organisation=OrganisationFactory(name="Pending Org"), status="submitted"
    )

    html = client.get(idea.get_absolute_url()).content.decode()

    assert organisation.name in html
    assert "Kauno mokykla" in html
    assert "Pending Org" not in html
    assert "Estonia, Lithuania" in html
    assert "School" in html
    assert "does not aim at a specific call" in html


@pytest.mark.parametrize(
    ("call_kwargs", "partners", "expected"),
    [
        # Erasmus+ small-scale: 2 organisations from 2 countries.
        ({"min_organisations": 2, "min_countries": 2}, [], "Needs 1 more organisation"),
        ({"min_organisations": 2, "min_countries": 2}, [("LT", "association")], "Eligible"),
        # EEA grants: a partner from a donor state is required.
        (
            {
                "min_organisations": 2,
                "min_countries": 2,
                "required_countries": ["NO", "IS", "LI"],
                "required_group_label": "a donor state",
            },
            [("LT", "association")],
            "Needs 1 more organisation from a donor state",
        ),
        (
            {"min_organisations": 2, "min_countries": 2, "required_countries": ["NO", "IS", "LI"]},
            [("NO", "association")],
            "Eligible",
        ),
        # Interreg Latvia–Lithuania: partners from outside the programme area are a problem.
        (
            {"min_organisations": 2, "min_countries": 2, "eligible_countries": ["LV", "LT"]},
            [("EE", "association")],
            "which is not eligible for this call",
        ),
        # A municipal call for NGOs only, one organisation is enough.
        (
            {
                "min_organisations": 1,
                "min_countries": 1,
                "allowed_kinds": ["association", "school"],
            },
            [("LV", "company")],
            "is not an eligible kind of organisation for this call",
        ),
        ({"min_organisations": 1, "min_countries": 1}, [], "Eligible"),
    ],
)
def test_eligibility_panel_per_call_type(client, organisation, call_kwargs, partners, expected):
    call = CallFactory(**call_kwargs)
    idea = ProjectIdeaFactory(lead=organisation, call=call)
    for country, kind in partners:
        PartnershipApplicationFactory(
            idea=idea,
            organisation=OrganisationFactory(country=country, kind=kind),
            status=ApplicationStatus.ACCEPTED,
        )

    html = client.get(idea.get_absolute_url()).content.decode()

    assert "Eligibility for the call" in html
    assert expected in html
    assert ("eligibility-ok" in html) == (expected == "Eligible")


def test_status_buttons_only_for_writers(client, owner, member, idea):
    client.force_login(member)
    assert status_url(idea) not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(owner)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert status_url(idea) in html
    assert edit_url(idea) in html


def test_suggested_partners_link_for_members_of_the_lead(client, member, outsider, idea):
    try:
        url = reverse("matching:idea-partners", kwargs={"slug": idea.slug})
    except NoReverseMatch:
        pytest.skip("the matching app has no partner suggestions page yet")
    client.force_login(outsider)
    assert url not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(member)
    assert url in client.get(idea.get_absolute_url()).content.decode()


def test_detail_query_count_does_not_grow_with_the_consortium(
    client, organisation, django_assert_max_num_queries
):
    idea = ProjectIdeaFactory(lead=organisation, call=CallFactory(), themes=["inclusion-diversity"])

    def add_partners(n):
        for _ in range(n):
            PartnershipApplicationFactory(
                idea=idea, organisation=OrganisationFactory(), status="accepted"
            )

    add_partners(1)
    with django_assert_max_num_queries(8):
        client.get(idea.get_absolute_url())
    add_partners(10)
    with django_assert_max_num_queries(8):
        client.get(idea.get_absolute_url())


# List page -------------------------------------------------------------------------------


def titles(response):
    return [idea.title for idea in response.context["object_list"]]


def test_list_shows_open_ideas_and_own_drafts_only(client, owner, organisation):
    ProjectIdeaFactory(title="Open one")
    ProjectIdeaFactory(title="My draft", lead=organisation, status=IdeaStatus.DRAFT)
    ProjectIdeaFactory(title="Other draft", status=IdeaStatus.DRAFT)
    ProjectIdeaFactory(title="Closed one", status=IdeaStatus.CLOSED)
    ProjectIdeaFactory(title="Past one", closes_on=TODAY - datetime.timedelta(days=1))
    ProjectIdeaFactory(title="Archived one", status=IdeaStatus.ARCHIVED)
    ProjectIdeaFactory(title="Inactive lead", lead=OrganisationFactory(is_active=False))

    assert titles(client.get(LIST)) == ["Open one"]
    client.force_login(owner)
    assert sorted(titles(client.get(LIST))) == ["My draft", "Open one"]
    assert sorted(titles(client.get(LIST, {"status": "closed"}))) == ["Closed one", "Past one"]
    assert titles(client.get(LIST, {"status": "draft"})) == ["My draft"]


def test_search_ignores_diacritics_and_needs_every_word(client):
    ProjectIdeaFactory(title="Jauniešu brīvprātīgie Liepājā", summary="Sports un veselība.")
    ProjectIdeaFactory(title="Liepaja culture", summary="Museums.")

    assert sorted(titles(client.get(LIST, {"q": "liepaja"}))) == [
        "Jauniešu brīvprātīgie Liepājā",
        "Liepaja culture",
    ]
    assert titles(client.get(LIST, {"q": "LIEPĀJA jauniesu"})) == ["Jauniešu brīvprātīgie Liepājā"]
    assert titles(client.get(LIST, {"q": "liepaja knitting"})) == []


def test_filters_narrow_the_list(client):
    erasmus = CallFactory(code="KA210-T")
    lt_lead = OrganisationFactory(country="LT")
    a = ProjectIdeaFactory(
        title="A",
        call=erasmus,
        themes=["inclusion-diversity"],
        countries_sought=["PL"],
        kinds_sought=["school"],
        closes_on=TODAY + datetime.timedelta(days=5),
    )
    a.target_groups.add(TargetGroup.objects.get(code="young-people"))
    ProjectIdeaFactory(
        title="B",
        lead=lt_lead,
        themes=["sport-physical-activity"],
        closes_on=TODAY + datetime.timedelta(days=50),
    )

    assert titles(client.get(LIST, {"call": "KA210-T"})) == ["A"]
    assert titles(client.get(LIST, {"programme": "erasmus-plus"})) == ["A"]
    assert titles(client.get(LIST, {"theme": "inclusion-diversity"})) == ["A"]
    assert titles(
        client.get(LIST, {"theme": ["inclusion-diversity", "sport-physical-activity"]})
    ) == ["A", "B"]
    assert titles(client.get(LIST, {"target_group": "young-people"})) == ["A"]
    assert titles(client.get(LIST, {"country_sought": "PL"})) == ["A"]
    assert titles(client.get(LIST, {"kind_sought": "school"})) == ["A"]
    assert titles(client.get(LIST, {"lead_country": "LT"})) == ["B"]
    assert titles(client.get(LIST, {"closing_within": "10"})) == ["A"]


def test_sort_closing_soonest_or_newest(client):
    ProjectIdeaFactory(title="Sooner", closes_on=TODAY + datetime.timedelta(days=5))
    ProjectIdeaFactory(title="Later", closes_on=TODAY + datetime.timedelta(days=50))

    assert titles(client.get(LIST)) == ["Sooner", "Later"]
    assert titles(client.get(LIST, {"sort": "newest"})) == ["Later", "Sooner"]


def test_facets_count_the_current_results_and_the_count_is_shown(client):
    ProjectIdeaFactory(
        themes=["inclusion-diversity", "sport-physical-activity"], kinds_sought=["school"]
    )
    ProjectIdeaFactory(themes=["inclusion-diversity"], kinds_sought=["school", "association"])
    ProjectIdeaFactory(status=IdeaStatus.CLOSED, themes=["inclusion-diversity"])

    response = client.get(LIST)
    facets = {
        facet.name: {v.value: v.count for v in facet.options}
        for facet in response.context["facets"]
    }

    assert facets["theme"] == {"inclusion-diversity": 2, "sport-physical-activity": 1}
    assert facets["kind_sought"] == {"school": 2, "association": 1}
    assert facets["lead_country"] == {"LV": 2}
    assert "2 ideas" in response.content.decode()

    narrowed = client.get(LIST, {"theme": "sport-physical-activity"})
    facets = {
        facet.name: {v.value: v.count for v in facet.options}
        for facet in narrowed.context["facets"]
    }
    assert facets["kind_sought"] == {"school": 1}


def test_filter_state_is_kept_in_pagination_links(client):
    for _ in range(25):
        ProjectIdeaFactory(themes=["inclusion-diversity"])
    html = client.get(LIST, {"theme": "inclusion-diversity"}).content.decode()
    assert (
        "theme=inclusion-diversity&amp;page=2" in html
        or "page=2&amp;theme=inclusion-diversity" in html
    )
    assert "25 ideas" in html


@pytest.mark.parametrize(
    "params",
    [
        {"call": "NOPE"},
        {"closing_within": "abc"},
        {"closing_within": "-5"},
        {"page": "abc"},
        {"page": "999"},
        {"theme": "<script>alert(1)</script>"},
        {"sort": "random"},
        {"status": "secret"},
        {"lead_country": "XX"},
    ],
)
def test_malformed_filters_show_a_normal_page_with_a_notice(client, params):
    ProjectIdeaFactory(title="Still listed")
    response = client.get(LIST, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "were not understood and were ignored" in html
    assert "<script>alert(1)</script>" not in html
    assert titles(response) == ["Still listed"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_query_count_is_the_same_for_5_and_50_ideas(
    client, owner, logged_in, django_assert_max_num_queries
):
    if logged_in:
        client.force_login(owner)

    def create(n):
        call = CallFactory()
        for _ in range(n):
            ProjectIdeaFactory(
                call=call,
                themes=["inclusion-diversity", "sport-physical-activity"],
                countries_sought=["LT"],
                kinds_sought=["school"],
            )

    counts = []
    for n in (5, 45):
        create(n)
        idea_index.current()  # the idea index is the process's; its upkeep is tested apart
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"theme": "inclusion-diversity"})
        assert response.status_code == 200
        counts.append(len(queries))
    with django_assert_max_num_queries(counts[0]):
        client.get(LIST, {"theme": "inclusion-diversity"})
    assert counts[0] == counts[1]
    assert counts[0] <= 16
