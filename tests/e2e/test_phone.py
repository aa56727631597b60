"""On a 390×844 phone every page fits without scrolling sideways, each list's first result is
on the first screen and the header is one short bar with a menu; on a 1280 px desktop the
signed-in header is one line (issue 14)."""

import pytest
from django.urls import reverse

from tests.e2e.site_pages import LIST_PAGES, load_demo, prepare, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HEADER_MAX_ON_PHONE = 64
FIRST_RESULT = ".results .card, .results .card-list > li"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def overflow(page) -> list[str]:
    """The page's width beyond the viewport, and the elements sticking out (at most five)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .filter(e => !e.closest(".visually-hidden, .skip-link"))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
            return [`${document.documentElement.scrollWidth}px wide`, ...out];
        }"""
    )


def check_pages(page, base_url, pages) -> list[str]:
    problems = []
    for site_page in pages:
        response = page.goto(base_url + site_page.path)
        assert response is not None and response.status < 500, site_page
        if sideways := overflow(page):
            problems.append(f"{site_page.name} {page.url}: {', '.join(sideways)}")
        header = page.locator("header.site-header").bounding_box()["height"]
        if header > HEADER_MAX_ON_PHONE:
            problems.append(f"{site_page.name}: header {header:.0f} px high")
        if site_page.name in LIST_PAGES:
            top = page.locator(FIRST_RESULT).first.bounding_box()["y"]
            if top >= PHONE["height"]:
                problems.append(f"{site_page.name}: first result starts at {top:.0f} px")
    return problems


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in-owner"])
def test_every_page_fits_a_phone(live_server, phone, signed_in):
    pages = prepare(phone, live_server.url, signed_in=signed_in)
    problems = check_pages(phone, live_server.url, pages)
    assert not problems, "\n".join(problems)


def test_the_phone_menu_opens_and_the_filters_unfold(live_server, phone):
    load_demo()
    sign_in(phone, live_server.url)
    phone.goto(live_server.url + reverse("projects:idea-list") + "?programme=erasmus-plus")
    nav = phone.locator("nav.main-nav")
    assert not nav.is_visible()
    phone.locator("summary.menu-button").click()
    assert nav.is_visible()
    assert phone.locator(".account-nav button", has_text="Sign out").is_visible()
    phone.locator("summary.menu-button").click()

    # The filters sit folded behind a button that counts the active ones.
    toggle = phone.locator("summary.filters-toggle")
    assert toggle.locator(".badge").inner_text().split()[0] == "1"
    checkbox = phone.locator(".filters input[type=checkbox]").first
    assert not checkbox.is_visible()
    toggle.click()
    assert checkbox.is_visible()


def test_the_signed_in_header_is_one_line_on_a_desktop(live_server, page):
    load_demo()
    sign_in(page, live_server.url)
    for language in ("en", "lv", "lt"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto(live_server.url + reverse("dashboard"))
        assert not page.locator("summary.menu-button").is_visible()
        middles = page.evaluate(
            """() => [...document.querySelectorAll(
                "header .brand, header .main-nav a:not(.count-badge), header .account-nav > *")]
                .map(e => e.getBoundingClientRect())
                .map(r => Math.round(r.top + r.height / 2))"""
        )
        # One line: every item on the same middle line, the bar no higher than on a phone.
        assert max(middles) - min(middles) <= 8, (language, middles)
        assert page.locator("header.site-header").bounding_box()["height"] <= 64, language
