"""factory_boy factories for every model; `.build()` where no database is needed."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from organisations.models import Experience, Kind, Membership, Organisation, Role
from organisations.taxonomy import FieldOfActivity, Language, Programme, TargetGroup, Theme
from projects.models import (
    ApplicationStatus,
    Call,
    IdeaStatus,
    PartnershipApplication,
    ProjectIdea,
)


def term(model, code):
    """A taxonomy term from the reference data the migrations load."""
    return model.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    password = factory.django.Password("correct horse battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Youth Association {n}")
    slug = factory.Sequence(lambda n: f"youth-association-{n}")
    kind = Kind.ASSOCIATION
    country = "LV"
    city = "Rīga"
    description = "We run non-formal learning activities for young people."
    experience = Experience.SOME

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set([term(Theme, code) for code in extracted])

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set([term(FieldOfActivity, code) for code in extracted])

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set([term(TargetGroup, code) for code in extracted])

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set([term(Language, code) for code in extracted])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.LazyFunction(lambda: term(Programme, "erasmus-plus"))
    code = factory.Sequence(lambda n: f"KA210-YOU-2027-T{n}")
    title = "Small-scale partnerships in youth"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    min_organisations = 2
    min_countries = 2


class ProjectIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectIdea
        skip_postgeneration_save = True

    lead = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"idea-{n}")
    title = factory.Sequence(lambda n: f"Youth volunteering exchange {n}")
    summary = "Young volunteers from two towns learn from each other's volunteering centres."
    goals = "More young people volunteer locally."
    status = IdeaStatus.OPEN
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    partners_wanted = 1

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set([term(Theme, code) for code in extracted])


class PartnershipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipApplication

    idea = factory.SubFactory(ProjectIdeaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    motivation = "We run a volunteering centre and would like to share how."
    status = ApplicationStatus.SUBMITTED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Invitation"

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EDITOR


# --- Matching ----------------------------------------------------------------


class DismissalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.Dismissal"

    idea = factory.SubFactory(ProjectIdeaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
