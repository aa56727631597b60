"""Conversations on the site: contact a profile, the inbox, a thread, an application's thread."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse

from organisations.models import Notification, Role, UserSettings
from partnerhub import limits
from projects import partnerships
from projects.models import ApplicationKind, Conversation, Message
from tests.conftest import verified_user
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

INBOX = reverse("projects:conversation-list")


@pytest.fixture(autouse=True)
def _clear_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other(db):
    """Another organisation, with no public e-mail address, and its owner."""
    return OrganisationFactory(name="Kaunas Youth Centre", country="LT", city="Kaunas", email="")


@pytest.fixture
def other_owner(other):
    user = verified_user("kaunas-lead@example.org")
    MembershipFactory(user=user, organisation=other, role=Role.OWNER)
    return user


def contact_url(organisation):
    return reverse("projects:organisation-contact", kwargs={"slug": organisation.slug})


def detail_url(conversation):
    return reverse("projects:conversation-detail", kwargs={"pk": conversation.pk})


def message_url(application):
    return reverse("projects:application-message", kwargs={"pk": application.pk})


@pytest.fixture
def conversation(organisation, owner, other, other_owner):
    return partnerships.conversation_start(
        sender=organisation,
        recipient=other,
        by=owner,
        subject="Volunteering exchange in 2027",
        body="Would you host ten volunteers in May?",
    )


# Contact this organisation ---------------------------------------------------------------


def test_the_profile_offers_contact_even_without_an_email_address(client, owner, other):
    client.force_login(owner)
    html = client.get(other.get_absolute_url()).content.decode()
    assert "No contact details yet." in html
    assert contact_url(other) in html


def test_anonymous_visitors_are_asked_to_sign_in_to_contact(client, other):
    html = client.get(other.get_absolute_url()).content.decode()
    assert "Sign in to contact this organisation" in html
    response = client.get(contact_url(other))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(contact_url(other), {"subject": "x", "body": "y"}).status_code == 302
    assert not Conversation.objects.exists()


def test_own_profile_has_no_contact_block(client, owner, organisation):
    client.force_login(owner)
    assert (
        contact_url(organisation)
        not in client.get(organisation.get_absolute_url()).content.decode()
    )


def test_an_owner_writes_as_their_organisation_and_the_other_side_is_told_without_address(
    client, owner, organisation, other, other_owner, django_capture_on_commit_callbacks
):
    UserSettings.objects.create(user=owner, display_name="Anna Bērziņa")
    client.force_login(owner)
    assert client.get(contact_url(other)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contact_url(other),
            {
                "sender": organisation.pk,
                "subject": "Volunteering exchange",
                "body": "Would you host ten volunteers in May?",
            },
        )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(conversation)
    assert (conversation.starter, conversation.recipient) == (organisation, other)
    assert conversation.messages.get().author == owner

    notification = Notification.objects.get(recipient=other_owner)
    assert notification.kind == "message-received"
    assert notification.url == detail_url(conversation)
    [email] = mail.outbox
    assert email.to == ["kaunas-lead@example.org"]
    body = email.body + email.alternatives[0][0]
    assert "Would you host ten volunteers in May?" in body
    assert organisation.name in email.subject
    assert owner.email not in body and owner.email not in email.subject

    client.force_login(other_owner)
    html = client.get(detail_url(conversation)).content.decode()
    assert "Anna Bērziņa" in html
    assert owner.email not in html


def test_the_message_can_be_about_an_idea_of_the_sender(client, owner, organisation, other):
    idea = ProjectIdeaFactory(lead=organisation, title="Rural youth media lab")
    client.force_login(owner)
    html = client.get(contact_url(other) + f"?idea={idea.slug}").content.decode()
    assert "Rural youth media lab" in html
    client.post(
        contact_url(other),
        {"sender": organisation.pk, "subject": "Media lab", "body": "Join us?", "idea": idea.pk},
    )
    assert Conversation.objects.get().idea == idea


def test_a_viewer_cannot_write_for_the_organisation(client, member, other):
    client.force_login(member)
    response = client.get(contact_url(other))
    assert response.status_code == 403
    assert "viewer" in response.content.decode()
    response = client.post(contact_url(other), {"subject": "Hello", "body": "Hi"})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_someone_without_an_organisation_is_told_to_register_one(client, other):
    client.force_login(verified_user("lonely@example.org"))
    response = client.get(contact_url(other))
    assert response.status_code == 403
    assert reverse("organisations:create") in response.content.decode()


def test_posting_as_an_organisation_where_one_is_a_viewer_is_refused(
    client, owner, organisation, other
):
    third = OrganisationFactory()
    MembershipFactory(user=owner, organisation=third, role=Role.VIEWER)
    client.force_login(owner)
    response = client.post(
        contact_url(other), {"sender": third.pk, "subject": "Hello", "body": "Hi"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Conversation.objects.exists()


def test_with_several_organisations_the_sender_is_chosen(client, owner, organisation, other):
    second = OrganisationFactory(name="Second Association")
    MembershipFactory(user=owner, organisation=second, role=Role.EDITOR)
    client.force_login(owner)
    html = client.get(contact_url(other)).content.decode()
    assert "choose the one you write for" in html
    client.post(contact_url(other), {"sender": second.pk, "subject": "Hello", "body": "Hi"})
    assert Conversation.objects.get().starter == second


def test_an_empty_message_is_refused_with_a_message_not_a_500(client, owner, organisation, other):
    client.force_login(owner)
    response = client.post(
        contact_url(other), {"sender": organisation.pk, "subject": "  ", "body": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_hidden_or_unknown_profile_cannot_be_contacted(client, owner, other):
    client.force_login(owner)
    assert client.get(contact_url(OrganisationFactory.build(slug="nobody"))).status_code == 404
    other.is_active = False
    other.save()
    assert client.get(contact_url(other)).status_code == 404


# The daily limit -------------------------------------------------------------------------


@override_settings(PARTNERHUB_DAILY_LIMITS={"conversation": {"user": 2, "organisation": 5}})
def test_over_the_daily_limit_a_new_conversation_is_refused_with_the_time(
    client, owner, organisation, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    for number in range(2):
        recipient = OrganisationFactory()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                contact_url(recipient),
                {"sender": organisation.pk, "subject": f"Hello {number}", "body": "Hi"},
            )
    assert Conversation.objects.count() == 2
    recipient = OrganisationFactory()
    response = client.post(
        contact_url(recipient), {"sender": organisation.pk, "subject": "Third", "body": "Hi"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have reached today&#x27;s limit for this. You can do it again from" in html
    assert Conversation.objects.count() == 2
    assert Message.objects.count() == 2


@override_settings(PARTNERHUB_DAILY_LIMITS={"message": {"user": 50, "organisation": 3}})
def test_the_organisation_counter_lives_in_the_shared_cache(
    client, owner, organisation, conversation
):
    """Another worker counted the organisation's messages: this one refuses the next."""
    key = f"limit:message:organisation:{organisation.pk}:{limits.timezone.localdate().isoformat()}"
    cache.set(key, 3)
    client.force_login(owner)
    response = client.post(
        detail_url(conversation), {"sender": organisation.pk, "body": "One more thing"}
    )
    assert "Your organisation has reached today&#x27;s limit" in response.content.decode()
    assert conversation.messages.count() == 1
    cache.delete(key)
    client.post(detail_url(conversation), {"sender": organisation.pk, "body": "One more thing"})
    assert conversation.messages.count() == 2


def test_limits_count_after_success_and_reset_the_next_day(owner, organisation):
    with override_settings(PARTNERHUB_DAILY_LIMITS={"message": {"user": 1}}):
        limits.check_daily("message", user=owner, organisation=organisation)
        limits.count_daily("message", user=owner, organisation=organisation)
        with pytest.raises(Exception) as refused:
            limits.check_daily("message", user=owner, organisation=organisation)
        assert "again from" in str(refused.value)
        assert limits.reset_time() > limits.timezone.now()


# The inbox -----------------------------------------------------------------------------------


def test_the_inbox_needs_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302


def test_the_inbox_lists_the_threads_of_ones_organisations_with_unread_counts(
    client, conversation, other, other_owner, outsider, member
):
    client.force_login(other_owner)
    html = client.get(INBOX).content.decode()
    assert "Volunteering exchange in 2027" in html
    assert "1 conversation with unread messages." in html
    assert '<span class="badge badge-ok">1</span>' in html

    client.get(detail_url(conversation))
    html = client.get(INBOX).content.decode()
    assert "0 conversations with unread messages." in html

    client.force_login(member)  # a viewer of the starter reads it too
    assert "Volunteering exchange in 2027" in client.get(INBOX).content.decode()
    client.force_login(outsider)
    assert "Volunteering exchange in 2027" not in client.get(INBOX).content.decode()


def test_the_inbox_costs_the_same_for_many_threads(
    client, owner, organisation, django_assert_max_num_queries
):
    client.force_login(owner)

    def start(count):
        for _ in range(count):
            partnerships.conversation_start(
                sender=OrganisationFactory(),
                recipient=organisation,
                by=owner,
                subject="Hi",
                body="x",
            )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start(1)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    start(10)
    with django_assert_max_num_queries(len(one)):
        client.get(INBOX)


# One thread ------------------------------------------------------------------------------------


def test_a_thread_needs_sign_in(client, conversation):
    response = client.get(detail_url(conversation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_outsider_gets_404_on_another_organisations_thread(client, conversation, outsider):
    client.force_login(outsider)
    assert client.get(detail_url(conversation)).status_code == 404
    response = client.post(detail_url(conversation), {"body": "Let me in"})
    assert response.status_code == 404
    assert conversation.messages.count() == 1


def test_a_viewer_reads_but_cannot_reply(client, conversation, member):
    client.force_login(member)
    response = client.get(detail_url(conversation))
    assert response.status_code == 200
    assert "Would you host ten volunteers in May?" in response.content.decode()
    assert "Only owners and editors of the organisation reply for it." in response.content.decode()
    response = client.post(detail_url(conversation), {"body": "As a viewer"})
    assert response.status_code == 403
    assert conversation.messages.count() == 1


def test_reading_marks_the_thread_read_for_the_readers_side_only(client, conversation, other_owner):
    assert conversation.recipient_read_at is None
    client.force_login(other_owner)
    client.get(detail_url(conversation))
    conversation.refresh_from_db()
    assert conversation.recipient_read_at is not None
    assert partnerships.unread_conversations([conversation.recipient]) == 0
    assert conversation.starter_read_at <= conversation.last_message_at


def test_the_other_side_replies_and_the_starter_is_told(
    client, conversation, owner, other, other_owner, django_capture_on_commit_callbacks
):
    client.force_login(other_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(conversation), {"sender": other.pk, "body": "Yes, gladly."}
        )
    message = conversation.messages.last()
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(conversation)}#message-{message.pk}"
    assert (message.organisation, message.author, message.body) == (
        other,
        other_owner,
        "Yes, gladly.",
    )
    assert Notification.objects.filter(recipient=owner, kind="message-received").exists()
    assert partnerships.unread_conversations([conversation.starter]) == 1
    assert other_owner.email not in mail.outbox[-1].body


def test_a_reply_without_text_is_refused(client, conversation, other, other_owner):
    client.force_login(other_owner)
    response = client.post(detail_url(conversation), {"sender": other.pk, "body": " "})
    assert response.status_code == 200
    assert conversation.messages.count() == 1


# The thread of an application ----------------------------------------------------------------


@pytest.fixture
def application(organisation, other):
    """``other`` applied to an idea of ``organisation``."""
    idea = ProjectIdeaFactory(lead=organisation, title="Green youth hubs")
    return PartnershipApplicationFactory(
        idea=idea, organisation=other, kind=ApplicationKind.APPLICATION
    )


def test_posting_in_an_application_thread_needs_sign_in(client, application):
    response = client.post(message_url(application), {"body": "Hello"})
    assert response.status_code == 302
    assert not Conversation.objects.exists()


def test_an_outsider_gets_404_on_an_application_thread(client, application, outsider):
    client.force_login(outsider)
    assert client.post(message_url(application), {"body": "Hello"}).status_code == 404
    assert not Conversation.objects.exists()


def test_a_viewer_of_the_lead_gets_403_on_an_application_thread(client, application, member):
    client.force_login(member)
    assert client.post(message_url(application), {"body": "Hello"}).status_code == 403
    assert not Conversation.objects.exists()


def test_the_application_thread_is_made_on_the_first_message_and_both_sides_write(
    client, application, owner, organisation, other, other_owner
):
    client.force_login(other_owner)
    response = client.post(message_url(application), {"sender": other.pk, "body": "Any news?"})
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/#thread"
    conversation = Conversation.objects.get(application=application)
    assert (conversation.starter, conversation.recipient) == (organisation, other)

    client.force_login(owner)
    client.post(message_url(application), {"sender": organisation.pk, "body": "Next week."})
    client.post(message_url(application), {"sender": organisation.pk, "body": "Next week."})
    assert [m.body for m in conversation.messages.all()] == ["Any news?", "Next week."]
    assert Conversation.objects.count() == 1
    assert Notification.objects.filter(recipient=other_owner, kind="message-received").exists()


def test_an_empty_message_in_an_application_thread_leaves_nothing_behind(
    client, application, other_owner
):
    client.force_login(other_owner)
    response = client.post(message_url(application), {"body": ""})
    assert response.status_code == 302
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert told == ["This field is required."]
    assert not Conversation.objects.exists()


@override_settings(PARTNERHUB_DAILY_LIMITS={"message": {"user": 0}})
def test_a_refused_application_message_leaves_no_empty_thread(client, application, other_owner):
    client.force_login(other_owner)
    response = client.post(message_url(application), {"body": "Hello"})
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("You have reached today's limit" in text for text in told)
    assert not Conversation.objects.exists()


def render_thread(application, user):
    request = RequestFactory().get(f"/applications/{application.pk}/")
    request.user = user
    template = Template('{% include "projects/_application_thread.html" %}')
    return template.render(Context({"application": application, "request": request}))


def test_the_application_thread_partial_shows_messages_and_a_form_for_writers(
    application, owner, member, organisation, other_owner
):
    conversation = partnerships.conversation_for_application(application, by=owner)
    partnerships.message_post(
        conversation=conversation, sender=organisation, by=owner, body="Welcome aboard"
    )
    html = render_thread(application, owner)
    assert "Welcome aboard" in html
    assert f'action="{message_url(application)}"' in html
    assert owner.email not in html

    html = render_thread(application, member)  # a viewer reads, has no form
    assert "Welcome aboard" in html
    assert message_url(application) not in html


def test_the_application_thread_partial_before_any_message(application, other_owner):
    html = render_thread(application, other_owner)
    assert "No messages yet." in html
    assert f'action="{message_url(application)}"' in html


def test_showing_the_application_thread_reads_it_for_the_readers_side(
    application, owner, organisation, other, other_owner
):
    conversation = partnerships.conversation_for_application(application, by=owner)
    partnerships.message_post(
        conversation=conversation, sender=organisation, by=owner, body="Welcome aboard"
    )
    assert partnerships.unread_conversations([other]) == 1
    assert Notification.objects.for_user(other_owner).unread().count() == 1
    render_thread(application, other_owner)
    assert partnerships.unread_conversations([other]) == 0
    assert Notification.objects.for_user(other_owner).unread().count() == 0
    assert partnerships.unread_conversations([organisation]) == 0


def test_reading_the_thread_reads_its_notifications(client, conversation, other_owner):
    assert Notification.objects.for_user(other_owner).unread().count() == 1
    client.force_login(other_owner)
    client.get(detail_url(conversation))
    assert Notification.objects.for_user(other_owner).unread().count() == 0


def test_a_double_click_sends_one_message(client, owner, organisation, other):
    client.force_login(owner)
    data = {"sender": organisation.pk, "subject": "Hello", "body": "Shall we?"}
    first = client.post(contact_url(other), data)
    second = client.post(contact_url(other), data)
    conversation = Conversation.objects.get()
    assert first["Location"] == second["Location"] == detail_url(conversation)

    reply = {"sender": organisation.pk, "body": "One more thing"}
    first = client.post(detail_url(conversation), reply)
    second = client.post(detail_url(conversation), reply)
    assert first["Location"] == second["Location"]
    assert [m.body for m in conversation.messages.all()] == ["Shall we?", "One more thing"]
    # the same words later, or to another organisation, are a new message
    client.post(contact_url(OrganisationFactory()), data)
    assert Conversation.objects.count() == 2
