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


def test_sign_in_form(db):
    client = Client()

    @EXAMPLES
    @given(from_form(LoginForm, login=emailish, password=hostile_text))
    def fuzz(form):
        assert_no_server_error(client, reverse("account_login"), form)

    fuzz()


def test_sign_up_form(db):
    client = Client()

    @EXAMPLES
    @given(from_form(SignupForm, email=emailish, password1=hostile_text, password2=hostile_text))
    def fuzz(form):
        assert_no_server_error(client, reverse("account_signup"), form)

    fuzz()


def test_password_reset_form(db):
    client = Client()

    @EXAMPLES
    @given(from_form(ResetPasswordForm, email=emailish))
    def fuzz(form):
        assert_no_server_error(client, reverse("account_reset_password"), form)

    fuzz()


def test_organisation_form(outsider):
    client = Client()
    client.force_login(outsider)

    @EXAMPLES
    @given(
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
        )
    )
    def fuzz(form):
        assert_no_server_error(client, reverse("organisations:create"), form)

    fuzz()


def test_invitation_form(owner, organisation):
    client = Client()
    client.force_login(owner)
    url = reverse("organisations:members", args=[organisation.slug])

    @EXAMPLES
    @given(from_form(InvitationForm, email=emailish))
    def fuzz(form):
        assert_no_server_error(client, url, form)

    fuzz()


def test_idea_form(owner, organisation):
    client = Client()
    client.force_login(owner)
    url = reverse("projects:idea-create") + "?call=none"

    @EXAMPLES
    @given(
        from_form(
            IdeaForm,
            form_kwargs={"user": owner, "call": None, "leads": [organisation]},
            title=hostile_text,
            summary=hostile_text,
            goals=hostile_text,
        )
    )
    def fuzz(form):
        assert_no_server_error(client, url, form)

    fuzz()


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

    @EXAMPLES
    @given(from_form(DeleteAccountForm, form_kwargs={"user": owner}, password=hostile_text))
    def fuzz(form):
        assert_no_server_error(client, reverse("account-delete"), form)

    fuzz()


def test_contact_form(outsider, organisation):
    from organisations.models import Organisation
    from projects.forms import ContactForm
    from projects.models import ProjectIdea

    client = Client()
    client.force_login(outsider)
    senders = Organisation.objects.filter(memberships__user=outsider)
    url = reverse("projects:organisation-contact", args=[organisation.slug])

    @EXAMPLES
    @given(
        from_form(
            ContactForm,
            form_kwargs={"senders": senders, "ideas": ProjectIdea.objects.none()},
            sender=st.one_of(st.sampled_from([s.pk for s in senders]), hostile_text),
            subject=hostile_text,
            body=hostile_text,
        )
    )
    def fuzz(form):
        assert_no_server_error(client, url, form)

    fuzz()


def test_application_form(outsider, organisation):
    from organisations.models import Organisation
    from projects.forms import ApplicationForm
    from tests.factories import ProjectIdeaFactory

    idea = ProjectIdeaFactory(lead=organisation)
    client = Client()
    client.force_login(outsider)
    mine = Organisation.objects.filter(memberships__user=outsider)
    url = reverse("projects:idea-apply", args=[idea.slug])

    @EXAMPLES
    @given(
        from_form(
            ApplicationForm,
            form_kwargs={"organisations": mine},
            organisation=st.one_of(st.sampled_from([o.pk for o in mine]), hostile_text),
            motivation=hostile_text,
            proposed_role=hostile_text,
            contribution=hostile_text,
            experience=hostile_text,
            contact_name=hostile_text,
        )
    )
    def fuzz(form):
        assert_no_server_error(client, url, form)

    fuzz()
