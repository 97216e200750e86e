"""A person of each role logs in, walks every link of the navigation and switches language."""

from __future__ import annotations

import pytest

from veerkracht.people.demo import DEMO_LOGINS

from .conftest import login, screenshot

ROLES = ["agent", "team_lead", "site_manager", "planner", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_each_role_walk_its_navigation(role, demo, new_page):  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, DEMO_LOGINS[role])
    assert page.url.endswith("/"), page.url
    assert page.locator("h1").first.is_visible()
    screenshot(page, f"home-{role}")

    links = page.locator("nav.menu a")
    targets = [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    assert len(targets) >= 3, targets
    for label, href in targets:
        response = page.goto(href)
        assert response is not None and response.status == 200, (
            f"{role}: {label} {href} -> {response and response.status}"
        )
        assert page.locator("h1").first.is_visible(), f"{role}: {href} has no heading"
        assert "Traceback" not in page.content()

    # The same home page on a phone: the menu is folded behind a button and opens on a tap.
    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[role])
    assert not phone.locator("nav.menu").is_visible()
    phone.click("label.menu-button")
    assert phone.locator("nav.menu").is_visible()
    screenshot(phone, f"home-{role}-phone")


def test_it_switches_language_and_remembers_it(demo, new_page):  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, DEMO_LOGINS["agent"])
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("link", name="Mijn gegevens").first.is_visible()

    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My data").first.is_visible()
    screenshot(page, "home-agent-en")

    # The choice is stored on the person: a fresh browser shows English after login.
    other = new_page(locale="nl-NL")
    login(other, DEMO_LOGINS["agent"])
    assert other.locator("html").get_attribute("lang") == "en"


def test_it_refuses_a_wrong_password_with_a_message(demo, new_page):  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, DEMO_LOGINS["agent"], password="wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").is_visible()
