"""Notifications: the list on the site, the e-mail preferences, and the e-mails through the queue."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from organisations.models import EmailFrequency, Notification, UserSettings
from organisations.notifications import notify, preference_groups, send_digests
from tests.conftest import verified_user

LIST = reverse("notifications")
READ_ALL = reverse("notifications-read-all")
SETTINGS = reverse("account-notifications")

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def open_url(notification):
    return reverse("notification-open", kwargs={"pk": notification.pk})


def read_url(notification):
    return reverse("notification-read", kwargs={"pk": notification.pk})


def tell(user, kind="message-received", url="/conversations/7/", **params):
    """One notification for ``user`` through the real path (in-app now, e-mail after commit)."""
    params = params or {
        "sender": "Kaunas Youth Centre",
        "subject": "Volunteers in May",
        "note": "Would you host ten volunteers?",
    }
    [notification] = notify(recipients=[user], kind=kind, params=params, url=url)
    return notification


def run_worker():
    call_command(
        "db_worker",
        batch=True,
        queue_name="email",
        interval=0,
        startup_delay=False,
        reload=False,
        verbosity=0,
    )


class FlakyBackend(EmailBackend):
    """The mail server: refuses the first ``failures`` messages, then delivers (to mail.outbox)."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


FLAKY = "tests.organisations.test_notifications.FlakyBackend"


# The list -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method, name", [("get", LIST), ("post", READ_ALL), ("get", SETTINGS)])
def test_anonymous_visitors_are_sent_to_sign_in(client, method, name):
    response = getattr(client, method)(name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_list_shows_unread_first_in_the_readers_language(client, owner):
    old = tell(owner, kind="review-approved", url="/ideas/x/", idea="Green hubs", lead="A")
    Notification.objects.filter(pk=old.pk).update(
        read_at=timezone.now(), created_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    new = tell(owner)
    client.force_login(owner)
    html = client.get(LIST).content.decode()
    assert "1 unread notification." in html
    assert "New message from Kaunas Youth Centre: Volunteers in May" in html
    assert "Staff approved the consortium of “Green hubs”" in html
    assert html.index(f'id="notification-{new.pk}"') < html.index(f'id="notification-{old.pk}"')
    assert open_url(new) in html

    client.cookies.load({"django_language": "lv"})
    html = client.get(LIST).content.decode()
    assert 'lang="lv"' in html
    assert "Jauna ziņa no Kaunas Youth Centre: Volunteers in May" in html


@pytest.mark.django_db
def test_the_header_counts_unread_notifications(client, owner):
    client.force_login(owner)
    assert 'class="count-badge"' not in client.get("/").content.decode()
    tell(owner)
    tell(owner)
    html = client.get("/").content.decode()
    assert (
        f'<a href="{LIST}" class="count-badge" title="Unread notifications">2'
        '<span class="visually-hidden"> unread notifications</span></a>'
    ) in html


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(client, owner):
    notification = tell(owner)
    client.force_login(owner)
    response = client.get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/conversations/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_a_link_to_another_site_is_not_followed(client, owner):
    notification = tell(owner, url="https://evil.example/phish")
    client.force_login(owner)
    assert client.get(open_url(notification))["Location"] == LIST


@pytest.mark.django_db
def test_mark_one_and_mark_all_as_read(client, owner):
    first = tell(owner)
    tell(owner)
    tell(owner)
    client.force_login(owner)
    assert client.get(read_url(first)).status_code == 405
    response = client.post(read_url(first), {"next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"
    assert Notification.objects.for_user(owner).unread().count() == 2
    response = client.post(READ_ALL, follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.for_user(owner).unread().exists()


@pytest.mark.django_db
def test_an_outsider_gets_404_on_someone_elses_notification(client, owner, outsider):
    notification = tell(owner)
    client.force_login(outsider)
    assert client.get(open_url(notification)).status_code == 404
    assert client.post(read_url(notification)).status_code == 404
    client.post(READ_ALL)
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "Volunteers in May" not in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_only_their_own_notifications(client, owner, member):
    tell(owner, subject="For the owner", sender="X", note="")
    tell(member, subject="For the viewer", sender="X", note="")
    client.force_login(member)
    html = client.get(LIST).content.decode()
    assert "For the viewer" in html
    assert "For the owner" not in html


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_notifications(
    client, owner, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tell(owner)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(20):
        tell(owner)
    with django_assert_max_num_queries(len(one)):
        client.get(LIST)


# E-mail preferences ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_settings_page_offers_a_choice_per_group(client, member):
    client.force_login(member)
    html = client.get(SETTINGS).content.decode()
    for label in preference_groups():
        assert label in html
    assert "Daily digest" in html and "Never" in html
    assert 'class="form notification-settings"' in html


def settings_data(groups, choice=EmailFrequency.IMMEDIATELY, **overrides):
    data = {"display_name": "Anna Bērziņa", "language": "lv"}
    for index in range(len(groups)):
        data[f"group_{index}"] = choice
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_saving_the_settings_applies_to_every_kind_of_the_group(client, owner):
    groups = preference_groups()
    labels = list(groups)
    messages_group = labels.index("Messages to your organisation")
    client.force_login(owner)
    response = client.post(
        SETTINGS,
        settings_data(groups, **{f"group_{messages_group}": EmailFrequency.DAILY}),
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "lv"
    saved = UserSettings.objects.get(user=owner)
    assert (saved.display_name, saved.language) == ("Anna Bērziņa", "lv")
    assert saved.frequency_for("message-received") == EmailFrequency.DAILY
    assert saved.frequency_for("invitation-received") == EmailFrequency.IMMEDIATELY
    assert set(saved.email_preferences) == {kind for kinds in groups.values() for kind in kinds}

    html = client.get(SETTINGS).content.decode()
    assert 'value="Anna Bērziņa"' in html


@pytest.mark.django_db
def test_bad_settings_are_refused_and_nothing_is_saved(client, owner):
    client.force_login(owner)
    response = client.post(SETTINGS, settings_data(preference_groups(), choice="hourly"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not UserSettings.objects.filter(user=owner).exists()


@pytest.mark.django_db
def test_never_means_no_email_but_the_notification_stays(owner, django_capture_on_commit_callbacks):
    UserSettings.objects.create(
        user=owner, email_preferences={"message-received": EmailFrequency.NEVER}
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(owner)
    assert mail.outbox == []
    assert notification.email_status == Notification.EmailStatus.SKIPPED
    assert Notification.objects.for_user(owner).unread().count() == 1


# The e-mail ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_email_says_what_happened_and_links_back(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(owner)
    [email] = mail.outbox
    assert email.to == [owner.email]
    assert email.subject == "[PartnerHub] New message from Kaunas Youth Centre: Volunteers in May"
    assert "Would you host ten volunteers?" in email.body
    assert "http://testserver/conversations/7/" in email.body
    assert "http://testserver/accounts/notifications/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://testserver/conversations/7/"' in html
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_a_latvian_reader_gets_the_email_in_latvian(owner, django_capture_on_commit_callbacks):
    UserSettings.objects.create(user=owner, language="lv")
    with django_capture_on_commit_callbacks(execute=True):
        tell(
            owner,
            kind="invitation-received",
            idea="Zaļie jauniešu centri",
            lead="Rīgas biedrība",
            organisation="Kauno centras",
            note="Pievienojieties!",
            reasons=["shares 3 themes"],
        )
    [email] = mail.outbox
    assert email.subject == (
        "[PartnerHub] Rīgas biedrība aicina Kauno centras pievienoties idejai „Zaļie jauniešu centri”"
    )
    assert "Labdien," in email.body
    assert "Vadošās organizācijas ziņa:" in email.body
    assert "Kāpēc tā ieteikta:" in email.body


@pytest.mark.django_db
def test_a_lithuanian_reader_gets_lithuanian(owner, django_capture_on_commit_callbacks):
    UserSettings.objects.create(user=owner, language="lt")
    with django_capture_on_commit_callbacks(execute=True):
        tell(owner)
    assert mail.outbox[0].subject.startswith("[PartnerHub] Nauja žinutė iš Kaunas Youth Centre")


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND=FLAKY)
def test_a_failed_send_keeps_the_notification_and_is_retried_later(owner):
    FlakyBackend.failures = 1
    notification = tell(owner)  # autocommit: the e-mail task is queued in the database
    assert DBTaskResult.objects.count() == 1

    run_worker()
    notification.refresh_from_db()
    assert mail.outbox == []
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert "Connection unexpectedly closed" in notification.email_error
    assert notification.read_at is None and Notification.objects.filter(pk=notification.pk).exists()
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)

    run_worker()  # too early: the retry waits
    assert mail.outbox == []

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute later
    run_worker()
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND=FLAKY, EMAIL_RETRY_DELAYS=[0, 0])
def test_after_the_last_retry_the_email_is_given_up_but_the_notification_stays(owner):
    FlakyBackend.failures = 10
    notification = tell(owner)
    run_worker()
    notification.refresh_from_db()
    assert notification.email_attempts == 3
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert Notification.objects.for_user(owner).unread().count() == 1
    FlakyBackend.failures = 0


# Digests and stragglers ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_daily_digest_gathers_the_days_notifications_in_one_email(owner, outsider):
    UserSettings.objects.create(
        user=owner,
        language="lv",
        email_preferences={"message-received": "daily", "application-received": "daily"},
    )
    tell(owner)
    tell(
        owner,
        kind="application-received",
        url="/ideas/x/applications/",
        idea="Zaļie centri",
        lead="A",
        organisation="Kauno centras",
        note="",
    )
    assert mail.outbox == []

    assert send_digests() == (1, 0)
    [email] = mail.outbox
    assert email.subject == "[PartnerHub] Jaunumi par jūsu partnerībām: 2"
    assert "Jauna ziņa no Kaunas Youth Centre" in email.body
    assert "Kauno centras piesakās dalībai idejā „Zaļie centri”" in email.body
    assert not Notification.objects.unsent().exists()
    assert send_digests() == (0, 0)


@pytest.mark.django_db
def test_a_lost_immediate_email_is_queued_again_by_the_command(owner):
    notification = tell(owner)  # its task never ran (no commit inside the test)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    fresh = tell(owner)
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == "0 daily digest(s) sent, 1 pending e-mail(s) queued again."
    notification.refresh_from_db()
    fresh.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert fresh.email_status == Notification.EmailStatus.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_digest_that_fails_is_sent_the_next_time(owner):
    UserSettings.objects.create(user=owner, email_preferences={"message-received": "daily"})
    tell(owner)
    FlakyBackend.failures = 1
    with override_settings(EMAIL_BACKEND=FLAKY):
        assert send_digests() == (0, 0)
        assert Notification.objects.unsent().count() == 1
        assert send_digests() == (1, 0)
    assert not Notification.objects.unsent().exists()


def test_every_kind_has_a_group_on_the_settings_page():
    from organisations.notifications import KINDS

    grouped = [kind for kinds in preference_groups().values() for kind in kinds]
    assert sorted(grouped) == sorted(KINDS)


@pytest.mark.django_db
def test_someone_without_an_address_gets_no_email(django_capture_on_commit_callbacks):
    user = verified_user("x@example.org")
    user.email = ""
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(user)
    assert notification.email_status == Notification.EmailStatus.SKIPPED
    assert mail.outbox == []
