"""What a person does in the browser that several journeys share."""

import re

from django.core import mail

CONFIRMATION_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s]+/)")


def open_menu(page):
    """On a phone the main navigation is collapsed behind the menu button; open it."""
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#main-nav.show").wait_for()


def click_nav(page, name):
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def confirmation_path(email_address):
    """The path of the email-confirmation link sent to this address."""
    for message in reversed(mail.outbox):
        if email_address in message.to:
            match = CONFIRMATION_LINK.search(message.body)
            if match:
                return match.group(1)
    sent = [(m.to, m.subject) for m in mail.outbox]
    raise AssertionError(f"No confirmation link was emailed to {email_address}; sent: {sent}")


def confirm_email(page, live_server, email_address):
    """Open the emailed confirmation link and confirm; ends on the sign-in page."""
    page.goto(live_server.url + confirmation_path(email_address))
    page.get_by_role("heading", name="Confirm email address").wait_for()


def sign_in(page, email_address, password):
    page.get_by_label("Email").fill(email_address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def wait_for_htmx(page):
    """Wait until no htmx request is in flight or queued on the page."""
    page.wait_for_function("() => document.querySelector('.htmx-request') === null")
