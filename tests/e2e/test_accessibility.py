"""axe-core finds nothing on any page of the site, in English, Latvian and Lithuanian,
for an anonymous visitor, for a signed-in owner of a lead organisation and, on the pages
that differ for them, for staff (issue 14).

axe-core is not fetched at run time: `.ci/run` installs it from the npm registry into
.ci/node (`npm install --prefix .ci/node axe-core@4`), or AXE_JS names a copy.
Also: a visible focus ring on every kind of interactive element.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.e2e.site_pages import DEMO_PASSWORD, Page, load_demo, prepare

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / ".ci/node/node_modules/axe-core/axe.min.js"))
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def axe_page(browser):
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core not found at {AXE_JS}; run: npm install --prefix .ci/node axe-core@4"
        )
    # The site's Content-Security-Policy forbids the injected script; the pages are unchanged.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def violations_on(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v =>
                `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )
    return found


def audit(page, base_url: str, pages) -> list[str]:
    problems = []
    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
        )
        for site_page in pages:
            response = page.goto(base_url + site_page.path)
            assert response is not None, site_page
            assert response.status < 500, f"{site_page.path}: {response.status}"
            if response.status in (404, 405):
                # A missing demo object, or an action that is no page (site_pages.NOT_PAGES).
                problems.append(
                    f"[{language}] {site_page.name} {site_page.path}: {response.status}"
                )
                continue
            assert page.locator("html").get_attribute("lang") == language, site_page.path
            for violation in violations_on(page):
                problems.append(f"[{language}] {site_page.name} {page.url}: {violation}")
    return problems


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in-owner"])
def test_no_axe_violations_on_any_page(live_server, axe_page, signed_in):
    pages = prepare(axe_page, live_server.url, signed_in=signed_in)
    problems = audit(axe_page, live_server.url, pages)
    assert not problems, "\n".join(problems)


#: Pages that staff see differently: their dashboard, the weights page, the header's Admin link.
STAFF_PAGES = ["dashboard", "matching:weights", "home", "organisations:list", "projects:idea-list"]
STAFF_USER = "staff@demo.partnerhub.example"


def test_no_axe_violations_on_staff_pages(live_server, axe_page):
    load_demo()
    axe_page.goto(live_server.url + reverse("account_login"))
    axe_page.fill("input[name=login]", STAFF_USER)
    axe_page.fill("input[name=password]", DEMO_PASSWORD)
    axe_page.locator("main button[type=submit]").click()
    axe_page.wait_for_url(lambda url: "/accounts/login/" not in url)
    pages = [Page(name, reverse(name)) for name in STAFF_PAGES]

    problems = audit(axe_page, live_server.url, pages)

    assert not problems, "\n".join(problems)
    axe_page.goto(live_server.url + reverse("dashboard"))
    assert axe_page.locator("main a[href='/admin/']").count() >= 1


def test_every_kind_of_control_shows_a_focus_ring(live_server, page):
    load_demo()
    page.goto(live_server.url + "/ideas/?q=youth")
    for selector in (
        ".skip-link",
        "header a.brand",
        "#language-select",
        "#id_q",
        "#id_sort",
        ".directory-search button",
        "#filters summary",
        ".filters input[type=checkbox]",
        ".results h3 a",
    ):
        element = page.locator(selector).first
        element.focus()
        outline = element.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, selector
