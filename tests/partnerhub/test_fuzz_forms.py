"""hypothesis fuzzes every public form through its view: at least 200 examples each, never a 500.

Each form's data comes from ``hypothesis.extra.django.from_form`` (valid-looking
values for every field), with hostile text for the free-text fields: NUL and
other control characters, bidi overrides, huge strings, mixed scripts. The data
is posted to the view the form belongs to, as the user who may use it.
"""

import pytest
from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from organisations.account_views import DeleteAccountForm
from organisations.forms import InvitationForm, OrganisationForm
from projects.forms import IdeaForm

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

hostile_text = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.sampled_from("a\x00\u202e\u200b\ufeff\r\n\t'\"<>=%ā"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.just(""),
)
emailish = st.one_of(
    st.emails(),
    hostile_text,
    st.builds(lambda a, b: f"{a}@{b}", hostile_text, hostile_text),
)


def form_data(form) -> dict:
    """What a browser would post for this bound form (lists stay lists)."""
    data = {}
    for name, value in form.data.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def assert_no_server_error(client, url, form):
    response = client.post(url, form_data(form))
    assert response.status_code < 500, (url, form.data)


def post_examples(client, url, forms) -> None:
    """Post 200 examples drawn from ``forms`` (a from_form strategy) to ``url``: never a 500."""

    @EXAMPLES
    @given(forms)
    def fuzz(form):
        assert_no_server_error(client, url, form)

    fuzz()


def test_sign_in_form(db):
    client = Client()

    post_examples(
        client,
        reverse("account_login"),
        from_form(LoginForm, login=emailish, password=hostile_text),
    )


def test_sign_up_form(db):
    client = Client()

    post_examples(
        client,
        reverse("account_signup"),
        from_form(SignupForm, email=emailish, password1=hostile_text, password2=hostile_text),
    )


def test_password_reset_form(db):
    client = Client()

    post_examples(
        client, reverse("account_reset_password"), from_form(ResetPasswordForm, email=emailish)
    )


def test_organisation_form(outsider):
    client = Client()
    client.force_login(outsider)

    post_examples(
        client,
        reverse("organisations:create"),
        from_form(
            OrganisationForm,
            name=hostile_text,
            city=hostile_text,
            description=hostile_text,
            registration_number=hostile_text,
            oid=hostile_text,
            website=hostile_text,
            email=emailish,
            logo=st.none(),
        ),
    )


def test_invitation_form(owner, organisation):
    client = Client()
    client.force_login(owner)
    url = reverse("organisations:members", args=[organisation.slug])

    post_examples(client, url, from_form(InvitationForm, email=emailish))


def test_idea_form(owner, organisation):
    client = Client()
    client.force_login(owner)
    url = reverse("projects:idea-create") + "?call=none"

    post_examples(
        client,
        url,
        from_form(
            IdeaForm,
            form_kwargs={"user": owner, "call": None, "leads": [organisation]},
            title=hostile_text,
            summary=hostile_text,
            goals=hostile_text,
        ),
    )


def test_organisation_switch(owner):
    client = Client()
    client.force_login(owner)

    @EXAMPLES
    @given(hostile_text)
    def fuzz(value):
        response = client.post(reverse("organisations:switch"), {"organisation": value})
        assert response.status_code < 500

    fuzz()


def test_delete_account_form(owner, member):
    # The owner is the last owner with a member: every attempt is refused, never a 500.
    client = Client()
    client.force_login(owner)

    post_examples(
        client,
        reverse("account-delete"),
        from_form(DeleteAccountForm, form_kwargs={"user": owner}, password=hostile_text),
    )


def test_contact_form(outsider, organisation):
    from organisations.models import Organisation
    from projects.forms import ContactForm
    from projects.models import ProjectIdea

    client = Client()
    client.force_login(outsider)
    senders = Organisation.objects.filter(memberships__user=outsider)
    url = reverse("projects:organisation-contact", args=[organisation.slug])

    post_examples(
        client,
        url,
        from_form(
            ContactForm,
            form_kwargs={"senders": senders, "ideas": ProjectIdea.objects.none()},
            sender=st.one_of(st.sampled_from([s.pk for s in senders]), hostile_text),
            subject=hostile_text,
            body=hostile_text,
        ),
    )


def test_application_form(outsider, organisation):
    from organisations.models import Organisation
    from projects.forms import ApplicationForm
    from tests.factories import ProjectIdeaFactory

    idea = ProjectIdeaFactory(lead=organisation)
    client = Client()
    client.force_login(outsider)
    mine = Organisation.objects.filter(memberships__user=outsider)
    url = reverse("projects:idea-apply", args=[idea.slug])

    post_examples(
        client,
        url,
        from_form(
            ApplicationForm,
            form_kwargs={"organisations": mine},
            organisation=st.one_of(st.sampled_from([o.pk for o in mine]), hostile_text),
            motivation=hostile_text,
            proposed_role=hostile_text,
            contribution=hostile_text,
            experience=hostile_text,
            contact_name=hostile_text,
        ),
    )


# --- Conversations, answers, decisions and members ------------------------------------------


@pytest.fixture
def other_side(db):
    """Another organisation and its owner, to talk and apply to."""
    from organisations.models import Role
    from tests.conftest import verified_user
    from tests.factories import MembershipFactory, OrganisationFactory

    other = OrganisationFactory(name="Kaunas Youth Centre", country="LT")
    other_owner = verified_user("kaunas@example.org")
    MembershipFactory(user=other_owner, organisation=other, role=Role.OWNER)
    return other, other_owner


@pytest.fixture
def application(owner, organisation, other_side):
    """The other organisation applied to an idea the owner's organisation leads."""
    from projects import partnerships
    from tests.factories import CallFactory, ProjectIdeaFactory

    other, other_owner = other_side
    idea = ProjectIdeaFactory(lead=organisation, call=CallFactory(code="KA210-YOU-FUZZ"))
    return partnerships.application_apply(
        idea=idea, organisation=other, by=other_owner, motivation="We run exchanges."
    )


def sender_choice(organisations):
    return st.one_of(st.sampled_from([o.pk for o in organisations]), hostile_text, st.none())


@pytest.mark.parametrize("thread", ["conversation", "application"])
def test_message_form(thread, owner, organisation, other_side, application):
    from organisations.models import Organisation
    from projects import partnerships
    from projects.forms import MessageForm

    other, other_owner = other_side
    if thread == "conversation":  # the other side replies to a first message
        conversation = partnerships.conversation_start(
            sender=organisation, recipient=other, by=owner, subject="Exchange", body="Hello"
        )
        user, side = other_owner, other
        url = reverse("projects:conversation-detail", args=[conversation.pk])
    else:  # the lead writes in an application's thread
        user, side = owner, organisation
        url = reverse("projects:application-message", args=[application.pk])
    client = Client()
    client.force_login(user)
    post_examples(
        client,
        url,
        from_form(
            MessageForm,
            form_kwargs={"senders": Organisation.objects.filter(pk=side.pk)},
            sender=sender_choice([organisation, other]),
            body=hostile_text,
        ),
    )


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw", "remove"])
def test_application_answer_note_form(action, owner, other_side, application):
    from projects.forms import ApplicationNoteForm

    other, other_owner = other_side
    client = Client()
    client.force_login(other_owner if action == "withdraw" else owner)
    url = reverse(f"projects:application-{action}", args=[application.pk])

    @EXAMPLES
    @given(
        from_form(ApplicationNoteForm, note=hostile_text),
        st.one_of(st.sampled_from(["submitted", "accepted", "declined"]), hostile_text),
    )
    def fuzz(form, seen):
        response = client.post(url, {**form_data(form), "seen": seen})
        assert response.status_code < 500, (url, form.data, seen)

    fuzz()


@pytest.fixture
def consortium_review(owner, application):
    """The application accepted, the consortium submitted, and a reviewer with a second factor."""
    from django.contrib.auth.models import Group

    from projects import partnerships
    from tests.conftest import verified_user, with_totp

    partnerships.application_accept(application=application, by=owner)
    review = partnerships.consortium_submit(idea=application.idea, by=owner)
    reviewer = with_totp(verified_user("reviewer@example.org", is_staff=True))
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    return review, reviewer


def test_review_decision_form(client, consortium_review):
    from projects.admin_review import DecisionForm

    review, reviewer = consortium_review
    client.force_login(reviewer)
    decisions = st.sampled_from(["approved", "rejected", "changes_requested"])
    post_examples(
        client,
        reverse("admin:projects_consortiumreview_decide", args=[review.pk]),
        from_form(DecisionForm, decision=st.one_of(decisions, hostile_text), note=hostile_text),
    )


def test_member_role_form(owner, organisation, member):
    from organisations.forms import RoleForm
    from organisations.models import Membership

    client = Client()
    client.force_login(owner)
    memberships = list(Membership.objects.filter(organisation=organisation))
    roles = st.sampled_from(["owner", "editor", "viewer"])

    @EXAMPLES
    @given(from_form(RoleForm, role=st.one_of(roles, hostile_text)), st.sampled_from(memberships))
    def fuzz(form, membership):
        url = reverse("organisations:member-role", args=[organisation.slug, membership.pk])
        assert_no_server_error(client, url, form)
        # Whatever was posted, the organisation keeps an owner.
        assert organisation.memberships.filter(role="owner").exists()

    fuzz()


# --- allauth: passwords, addresses, second factor --------------------------------------------


def recently_signed_in(client, user):
    """Signed in with a password a moment ago, as allauth asks before sensitive changes."""
    import time

    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_password_change_form(owner):
    from allauth.account.forms import ChangePasswordForm

    client = Client()
    recently_signed_in(client, owner)
    url = reverse("account_change_password")
    assert client.get(url).status_code == 200
    passwords = dict.fromkeys(("oldpassword", "password1", "password2"), hostile_text)
    post_examples(
        client, url, from_form(ChangePasswordForm, form_kwargs={"user": owner}, **passwords)
    )


def test_password_reset_from_key_form(owner):
    from allauth.account.forms import ResetPasswordKeyForm, default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    client = Client()
    key_url = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(owner),
            "key": default_token_generator.make_token(owner),
        },
    )
    response = client.get(key_url)  # allauth keeps the key in the session and redirects
    assert response.status_code == 302
    post_examples(
        client,
        response["Location"],
        from_form(
            ResetPasswordKeyForm,
            form_kwargs={"user": owner, "temp_key": "x"},
            password1=hostile_text,
            password2=hostile_text,
        ),
    )


def test_email_address_forms(owner):
    from allauth.account.forms import AddEmailForm

    client = Client()
    recently_signed_in(client, owner)
    actions = ["action_add", "action_send", "action_remove", "action_primary"]
    assert client.get(reverse("account_email")).status_code == 200

    @EXAMPLES
    @given(
        from_form(AddEmailForm, form_kwargs={"user": owner}, email=emailish),
        st.sampled_from(actions),
    )
    def fuzz(form, action):
        response = client.post(reverse("account_email"), {**form_data(form), action: ""})
        assert response.status_code < 500, (form.data, action)
        # The person always keeps a primary address.
        assert owner.emailaddress_set.filter(primary=True).exists()

    fuzz()


def test_reauthentication_form(owner):
    from allauth.account.forms import ReauthenticateForm

    client = Client()
    client.force_login(owner)
    post_examples(
        client,
        reverse("account_reauthenticate"),
        from_form(ReauthenticateForm, form_kwargs={"user": owner}, password=hostile_text),
    )


codes = st.one_of(st.from_regex(r"\A[0-9]{6}\Z"), st.from_regex(r"\A[0-9a-f]{8}\Z"), hostile_text)


def test_second_factor_at_sign_in(db):
    from allauth.mfa.base.forms import AuthenticateForm

    from tests.conftest import verified_user, with_totp

    user = with_totp(verified_user("two-factor@example.org"))
    user.set_password("correct horse battery staple")
    user.save()
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct horse battery staple"},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    post_examples(
        client,
        reverse("mfa_authenticate"),
        from_form(AuthenticateForm, form_kwargs={"user": user}, code=codes),
    )


def test_second_factor_setup_forms(owner):
    from allauth.core import context as allauth_context
    from allauth.mfa.totp.forms import ActivateTOTPForm
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    client = Client()
    recently_signed_in(client, owner)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    # The unbound form reads its secret from the request allauth is serving.
    request = RequestFactory().get("/")
    request.session = SessionStore()
    with allauth_context.request_context(request):
        post_examples(
            client,
            reverse("mfa_activate_totp"),
            from_form(ActivateTOTPForm, form_kwargs={"user": owner}, code=codes),
        )


def test_second_factor_removal_and_recovery_code_forms(db):
    from allauth.mfa.base.forms import ReauthenticateForm

    from tests.conftest import verified_user, with_totp

    user = with_totp(verified_user("two-factor@example.org"))
    client = Client()
    recently_signed_in(client, user)
    urls = [
        reverse("mfa_deactivate_totp"),
        reverse("mfa_generate_recovery_codes"),
        reverse("mfa_reauthenticate"),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]

    @EXAMPLES
    @given(
        from_form(ReauthenticateForm, form_kwargs={"user": user}, code=codes),
        st.sampled_from(urls),
    )
    def fuzz(form, url):
        assert_no_server_error(client, url, form)

    fuzz()
