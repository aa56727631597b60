"""suggest_partners and suggest_ideas: JSON, tables and bad input."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import OrganisationFactory, ProjectIdeaFactory

THEMES = ["volunteering-solidarity", "inclusion-diversity"]


@pytest.fixture
def idea(db):
    OrganisationFactory(slug="partner", name="Partner NGO", country="LT", themes=THEMES)
    OrganisationFactory(slug="other", country="EE")
    return ProjectIdeaFactory(slug="volunteers", title="Volunteers of Liepāja", themes=THEMES)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("identifier", ["volunteers", "Volunteers of Liepāja"])
def test_suggest_partners_prints_json_best_first(idea, identifier):
    data = json.loads(run("suggest_partners", identifier, "--limit", "5", "--json"))
    assert [item["slug"] for item in data] == ["partner", "other"]
    assert set(data[0]) == {"slug", "name", "country", "score", "fills", "components", "reasons"}
    assert data[0]["score"] >= data[1]["score"]


def test_suggest_partners_prints_a_table_without_json(idea):
    text = run("suggest_partners", "volunteers", "--limit", "1")
    assert "Partner NGO" in text and "goals=" in text and "shares 2 of 2 themes" in text


def test_suggest_ideas_by_slug_or_name(idea):
    for identifier in ("partner", "Partner NGO"):
        data = json.loads(run("suggest_ideas", identifier, "--json"))
        assert data[0]["slug"] == "volunteers"


@pytest.mark.parametrize(
    "args",
    [
        ("suggest_partners", "no-such-idea"),
        ("suggest_ideas", "no-such-organisation"),
        ("suggest_partners", "volunteers", "--limit", "0"),
        ("suggest_partners", "volunteers", "--limit", "101"),
        ("suggest_ideas", "partner", "--limit", "0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(idea, args):
    with pytest.raises(CommandError):
        run(*args)


def test_an_ambiguous_title_asks_for_the_slug(db):
    ProjectIdeaFactory(title="Same title")
    ProjectIdeaFactory(title="Same title")
    with pytest.raises(CommandError, match="slug"):
        run("suggest_partners", "Same title")


def test_an_unknown_slug_exits_with_code_1(tmp_path):
    # The test database is not visible to another process, so an empty
    # SQLite file stands in: the slug is unknown there too.
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "suggest_partners", "nope", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "No project idea" in result.stderr
