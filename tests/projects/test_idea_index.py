"""The idea list's index (projects/idea_index.py): same answers as the database, and current.

The list page runs its visibility rule, filters, sorts and facet counts over
the process's idea index; these tests hold it to the querysets that define
the rules (``visible_to``, ``open_or_own_drafts``, ``closed``) and check that
every kind of write reaches it through the change log.
"""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from organisations.taxonomy import Theme
from projects.idea_index import Selection, idea_index, select
from projects.models import IdeaStatus, ProjectIdea
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("projects:idea-list")


def titles(response):
    return [idea.title for idea in response.context["object_list"]]


def listed(user, **selection) -> set[str]:
    columns, vocabulary = idea_index.current()
    mine = frozenset()
    if user.is_authenticated:
        mine = frozenset(Organisation.objects.member_of(user).values_list("pk", flat=True))
    staff = user.is_authenticated and user.is_staff
    result = select(columns, vocabulary, Selection(staff=staff, mine=mine, **selection), TODAY)
    return set(
        ProjectIdea.objects.filter(pk__in=[int(pk) for pk in result.ids]).values_list(
            "title", flat=True
        )
    )


@pytest.fixture
def mixed(organisation):
    """Ideas in every state, led by a listed, a hidden, an inactive and the owner's organisation."""
    hidden_lead = OrganisationFactory(hidden_at=timezone.now())
    inactive_lead = OrganisationFactory(is_active=False)
    past = TODAY - datetime.timedelta(days=1)
    states = {
        "open": {"status": IdeaStatus.OPEN},
        "past": {"status": IdeaStatus.OPEN, "closes_on": past},
        "closed": {"status": IdeaStatus.CLOSED},
        "archived": {"status": IdeaStatus.ARCHIVED},
        "draft": {"status": IdeaStatus.DRAFT},
        "hidden": {"status": IdeaStatus.OPEN, "hidden_at": timezone.now()},
    }
    leads = {
        "other": None,
        "own": organisation,
        "hiddenlead": hidden_lead,
        "inactive": inactive_lead,
    }
    for (state, fields), (who, lead) in itertools.product(states.items(), leads.items()):
        extra = {"lead": lead} if lead else {}
        ProjectIdeaFactory(title=f"{state} {who}", **fields, **extra)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "owner", "staff"])
def test_the_index_lists_what_the_querysets_define(request, mixed, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    visible = ProjectIdea.objects.visible_to(user)

    def names(queryset):
        return set(queryset.values_list("title", flat=True))

    assert listed(user) == names(visible.open_or_own_drafts(user))
    assert listed(user, status="closed") == names(visible.closed())
    assert listed(user, status="open") == names(visible.open())
    assert listed(user, status="draft") == names(
        visible.of_member(user).filter(status=IdeaStatus.DRAFT)
    )


def test_filters_match_the_database(organisation):
    call = CallFactory(code="KA220-T")
    a = ProjectIdeaFactory(
        title="A", call=call, themes=["inclusion-diversity"], countries_sought=["PL", "LT"],
        kinds_sought=["school"], closes_on=TODAY + datetime.timedelta(days=3),
    )  # fmt: skip
    ProjectIdeaFactory(
        title="B", lead=OrganisationFactory(country="LT"), themes=["sport-physical-activity"],
        kinds_sought=["association"], closes_on=TODAY + datetime.timedelta(days=40),
    )  # fmt: skip
    anonymous = AnonymousUser()
    assert listed(anonymous, calls=("KA220-T",)) == {"A"}
    assert listed(anonymous, programmes=(a.programme.code,)) == {"A"}
    assert listed(anonymous, themes=("inclusion-diversity", "sport-physical-activity")) == {
        "A",
        "B",
    }
    assert listed(anonymous, countries_sought=("LT",)) == {"A"}
    assert listed(anonymous, kinds_sought=("association",)) == {"B"}
    assert listed(anonymous, lead_countries=("LT",)) == {"B"}
    assert listed(anonymous, closing_within=10) == {"A"}
    assert listed(anonymous, closing_within=0) == set()


def test_the_list_follows_every_kind_of_write(client):
    idea = ProjectIdeaFactory(title="Watched", themes=["inclusion-diversity"])
    other = ProjectIdeaFactory(title="Other")
    assert sorted(titles(client.get(LIST))) == ["Other", "Watched"]

    # The lead hidden by moderation, through QuerySet.update (no save(), no signal).
    Organisation.objects.filter(pk=idea.lead_id).update(hidden_at=timezone.now())
    assert titles(client.get(LIST)) == ["Other"]
    Organisation.objects.filter(pk=idea.lead_id).update(hidden_at=None)
    assert sorted(titles(client.get(LIST))) == ["Other", "Watched"]

    # The lead moves to another country: the lead-country filter follows.
    Organisation.objects.filter(pk=idea.lead_id).update(country="EE")
    assert titles(client.get(LIST, {"lead_country": "EE"})) == ["Watched"]

    # A theme added and removed through the relation.
    sport = Theme.objects.get(code="sport-physical-activity")
    idea.themes.add(sport)
    assert titles(client.get(LIST, {"theme": "sport-physical-activity"})) == ["Watched"]
    idea.themes.remove(sport)
    assert titles(client.get(LIST, {"theme": "sport-physical-activity"})) == []

    # Closed by a bulk update, then deleted.
    ProjectIdea.objects.filter(pk=other.pk).update(status=IdeaStatus.CLOSED)
    assert titles(client.get(LIST)) == ["Watched"]
    assert titles(client.get(LIST, {"status": "closed"})) == ["Other"]
    ProjectIdea.objects.filter(pk=other.pk).delete()
    assert titles(client.get(LIST, {"status": "closed"})) == []

    # A call renamed: the call facet reads the new code.
    call = CallFactory(code="OLD-CODE")
    ProjectIdea.objects.filter(pk=idea.pk).update(call=call, programme=call.programme)
    assert titles(client.get(LIST, {"call": "OLD-CODE"})) == ["Watched"]
    type(call).objects.filter(pk=call.pk).update(code="NEW-CODE")
    response = client.get(LIST, {"call": "NEW-CODE"})
    assert titles(response) == ["Watched"]
    calls = {f.name: [o.value for o in f.options] for f in response.context["facets"]}["call"]
    assert calls == ["NEW-CODE"]


def test_an_idea_closes_by_itself_on_its_closing_date_without_a_reload(client):
    ProjectIdeaFactory(title="Closing today", closes_on=TODAY)
    columns, vocabulary = idea_index.current()
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert len(select(columns, vocabulary, Selection(), TODAY).ids) == 1
    assert len(select(columns, vocabulary, Selection(), tomorrow).ids) == 0
    closed = select(columns, vocabulary, Selection(status="closed"), tomorrow)
    assert len(closed.ids) == 1


def test_the_index_loads_and_refreshes_in_a_constant_number_of_queries():
    def build_queries(n):
        ProjectIdeaFactory.create_batch(n, themes=["inclusion-diversity"])
        idea_index.clear()
        with CaptureQueriesContext(connection) as queries:
            idea_index.current()
        return len(queries)

    assert build_queries(2) == build_queries(20)
    with CaptureQueriesContext(connection) as unchanged:
        idea_index.current()
    assert len(unchanged) == 1  # the change log's newest rows: none
    changed = ProjectIdea.objects.first()
    changed.summary = "Now also about climate."
    changed.save()
    with CaptureQueriesContext(connection) as refresh:
        columns, _vocabulary = idea_index.current()
    assert len(refresh) <= 6
    assert len(columns) == 22


def _recorder(logged: list) -> SimpleNamespace:
    """A gunicorn logger that records (level, message) into ``logged``."""

    def level(name):
        return lambda message, *args: logged.append((name, message))

    return SimpleNamespace(
        exception=level("exception"), info=level("info"), warning=level("warning")
    )


def test_a_failed_search_warm_up_is_logged_and_the_worker_serves(monkeypatch):
    from partnerhub import gunicorn
    from projects import idea_index as module

    def database_down():
        raise RuntimeError("could not connect to server")

    monkeypatch.setattr(module, "warm_search", database_down)
    monkeypatch.setattr("matching.warmup.warm_caches", lambda: (0, 0))
    logged = []
    worker = SimpleNamespace(log=_recorder(logged))
    gunicorn.post_worker_init(worker)  # must not raise: gunicorn would stop the site
    assert ("exception", "search indexes not warmed; they will build on first use") in logged


def test_the_search_warm_up_builds_both_indexes():
    from projects.idea_index import warm_search

    ProjectIdeaFactory()
    assert warm_search() == (1, 1)
    assert idea_index.is_built()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_home_page_shows_the_newest_open_ideas_in_a_constant_number_of_queries(
    client, owner, organisation, signed_in
):
    if signed_in:
        client.force_login(owner)
    ProjectIdeaFactory(title="Hidden lead's", lead=OrganisationFactory(hidden_at=timezone.now()))
    ProjectIdeaFactory(title="Closed", status=IdeaStatus.CLOSED)

    def home_queries(n):
        for i in range(n):
            ProjectIdeaFactory(title=f"Idea {n}-{i}")
        client.get("/")  # the indexes catch up (their upkeep is tested above), counts cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        return response, len(queries)

    few, few_queries = home_queries(3)
    many, many_queries = home_queries(30)
    assert few_queries == many_queries
    shown = [idea.title for idea in many.context["recent_ideas"]]
    assert shown == [f"Idea 30-{i}" for i in range(29, 23, -1)]  # the six newest, newest first
    assert many.context["idea_count"] == 33


def test_the_directory_follows_an_idea_moved_to_another_lead(client):
    """The log names both leads (``LEAD``, old and new) when an update moves an idea."""
    first, second = OrganisationFactory(name="First lead"), OrganisationFactory(name="Second")
    idea = ProjectIdeaFactory(lead=first)

    def with_open_ideas():
        response = client.get(reverse("organisations:list"), {"has_ideas": "yes"})
        return [organisation.name for organisation in response.context["object_list"]]

    assert with_open_ideas() == ["First lead"]
    ProjectIdea.objects.filter(pk=idea.pk).update(lead=second)  # no save(), no signal
    assert with_open_ideas() == ["Second"]


def test_a_failed_search_build_in_the_gunicorn_master_is_logged_and_it_starts(monkeypatch):
    import gc

    from partnerhub import gunicorn
    from projects import idea_index as module

    def database_down():
        raise RuntimeError("could not connect to server")

    monkeypatch.setattr(gunicorn, "preload_app", True)
    monkeypatch.setattr("matching.warmup.warm_caches", lambda: (0, 0))
    monkeypatch.setattr(module, "warm_search", database_down)
    logged = []
    server = SimpleNamespace(log=_recorder(logged))
    try:
        gunicorn.on_starting(server)  # must not raise: the master would not start
    finally:
        gc.unfreeze()  # the test process is no gunicorn master
    assert ("exception", "search indexes not built in the master; each worker builds its own") in (
        logged
    )
