"""A coordinator opens the suggestions of a KA220 idea led by a Latvian organisation.

KA220 needs 3 organisations from 3 countries: a Latvian lead alone gains
nothing from another Latvian partner, so every suggestion above the divider
("Fill what the call needs") comes from another country.
"""

import io
import re

import pytest
from django.core.management import call_command

from organisations.models import Membership, Role
from partnerhub.demo import DEMO_PASSWORD
from projects.models import IdeaStatus, ProjectIdea

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ka220_latvian_lead_sees_only_non_latvian_partners_above_the_divider(
    live_server, page, screenshot
):
    call_command("load_demo_data", "--i-know-this-is-not-production", stdout=io.StringIO())
    idea = ProjectIdea.objects.get(
        call__code="KA220-YOU-2027-R1", lead__country="LV", status=IdeaStatus.OPEN
    )
    owner = Membership.objects.filter(organisation=idea.lead, role=Role.OWNER).first().user

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    page.goto(f"{live_server.url}/ideas/{idea.slug}/partners/")
    assert page.locator("#fill-heading").inner_text() == "Fill what the call needs"
    above = page.locator("#fill-group .suggestion .meta")
    assert above.count() > 0
    countries = [text.rsplit(",", 1)[-1].strip() for text in above.all_inner_texts()]
    assert "LV" not in countries, countries
    # Latvian organisations suit the idea too, but only below the divider.
    assert page.locator("#suggestion-divider").count() == 1
    assert page.locator("#other-heading").inner_text() == "Also a good fit"
    below = [
        text.rsplit(",", 1)[-1].strip()
        for text in page.locator("#other-group .suggestion .meta").all_inner_texts()
    ]
    assert below and set(below) == {"LV"}, below
    screenshot("ka220-latvian-lead-suggestions")
