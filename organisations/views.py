"""Organisation profiles, the partner directory, members and invitations.

Pages are generic class-based views; single actions are small POST-only
function views. Every organisation a view acts on comes through
organisations.access, so outsiders get 404 and members without the role 403.
"""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, UpdateView
from django.views.generic.edit import CreateView
from django_filters.views import FilterView

from partnerhub.facets import list_controls

from . import services
from .access import get_membership, get_organisation_for_editor, get_organisation_for_owner
from .completeness import organisation_completeness
from .current import set_current_organisation
from .filters import OrganisationFilter
from .forms import InvitationForm, OrganisationForm, RoleForm
from .models import Invitation, Membership, Organisation, Role


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class OrganisationListView(FilterView):
    """The partner directory: search, filters with counts, sort and pages, all in the URL."""

    filterset_class = OrganisationFilter
    template_name = "organisations/organisation_list.html"
    paginate_by = 20

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .only(
                "pk",
                "name",
                "slug",
                "kind",
                "country",
                "city",
                "description",
                "experience",
                "is_verified",
                "is_active",
                "logo",
                "updated_at",
            )
            .prefetch_related("themes")
        )

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad or too-large page number shows a page and a notice, not 404."""
        paginator = Paginator(queryset, page_size)
        raw = self.request.GET.get("page") or "1"
        self.page_notices = []
        try:
            number = int(raw)
            if number < 1:
                raise ValueError
        except ValueError:
            number = 1
            self.page_notices.append(
                _("“%(page)s” is not a page number; showing the first page.") % {"page": raw[:20]}
            )
        if number > paginator.num_pages:
            self.page_notices.append(
                _("There is no page %(page)s; showing the last page.") % {"page": number}
            )
            number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        context["facets"] = filterset.facets()
        context["notices"] = [*filterset.ignored, *getattr(self, "page_notices", [])]
        context["result_count"] = context["paginator"].count
        context["sort"] = filterset.form.cleaned_data.get("sort") or "relevance"
        context["sort_choices"] = filterset.filters["sort"].extra["choices"]
        context["q"] = filterset.form.cleaned_data.get("q", "")
        context["list_url"] = reverse("organisations:list")
        context.update(list_controls(self.request, context["facets"], q=context["q"]))
        return context


class OrganisationDetailView(DetailView):
    """A public profile; its own members also see completeness, the team and an edit link."""

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).with_taxonomies()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        membership = None
        if self.request.user.is_authenticated:
            membership = Membership.objects.filter(
                organisation=organisation, user=self.request.user
            ).first()
        context["membership"] = membership
        if membership:
            context["completeness"] = organisation_completeness(organisation)
            context["members"] = organisation.memberships.select_related("user").order_by(
                "role", "user__email"
            )
        return context


@method_decorator(verified_email_required, name="dispatch")
class OrganisationCreateView(CreateView):
    model = Organisation
    form_class = OrganisationForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            self.object = services.organisation_create(by=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        set_current_organisation(self.request, self.object)
        messages.success(
            self.request,
            _("%(name)s is registered and you are its owner.") % {"name": self.object.name},
        )
        return HttpResponseRedirect(self.object.get_absolute_url())


@method_decorator(verified_email_required, name="dispatch")
class OrganisationUpdateView(UpdateView):
    form_class = OrganisationForm

    def get_object(self, queryset=None):
        return get_organisation_for_editor(self.request, self.kwargs["slug"])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The profile is saved."))
        return response


@method_decorator(verified_email_required, name="dispatch")
class MembersView(FormView):
    """Owners see the team and pending invitations, change roles and invite people."""

    form_class = InvitationForm
    template_name = "organisations/organisation_members.html"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_organisation_for_owner(request, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["memberships"] = self.organisation.memberships.select_related("user").order_by(
            "role", "user__email"
        )
        context["invitations"] = self.organisation.invitations.pending().select_related(
            "invited_by"
        )
        context["roles"] = Role.choices
        return context

    def form_valid(self, form):
        try:
            invitation = services.invitation_create(
                organisation=self.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=self.request.user,
                base_url=self.request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            # Every reason an invitation is refused concerns the address.
            form.add_error("email", error.messages)
            return self.form_invalid(form)
        messages.success(
            self.request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("organisations:members", slug=self.organisation.slug)


def _members_url(organisation: Organisation) -> str:
    return reverse("organisations:members", kwargs={"slug": organisation.slug})


@require_POST
@login_required
def membership_role(request, slug: str, pk: int):
    organisation = get_organisation_for_owner(request, slug)
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect(_members_url(organisation))
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": membership.user.email, "role": membership.get_role_display().lower()},
        )
    return redirect(_members_url(organisation))


@require_POST
@login_required
def membership_remove(request, slug: str, pk: int):
    organisation = get_organisation_for_owner(request, slug)
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(user)s was removed.") % {"user": membership.user.email})
    if membership.user == request.user and membership.pk is None:
        return redirect("dashboard")
    return redirect(_members_url(organisation))


@require_POST
@login_required
def membership_leave(request, slug: str):
    membership = get_membership(request, slug)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(membership.organisation.get_absolute_url())
    messages.success(request, _("You left %(name)s.") % {"name": membership.organisation.name})
    return redirect("dashboard")


@require_POST
@login_required
def switch_organisation(request):
    """Act for another of your organisations; the choice is kept in the session."""
    organisation = get_object_or_404(
        Organisation.objects.member_of(request.user), slug=request.POST.get("organisation", "")
    )
    set_current_organisation(request, organisation)
    messages.success(request, _("You are now acting for %(name)s.") % {"name": organisation.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")
    return redirect(target)


@method_decorator(login_required, name="dispatch")
class InvitationListView(ListView):
    """Pending invitations addressed to the signed-in user's verified addresses."""

    template_name = "organisations/invitation_list.html"
    context_object_name = "invitations"

    def get_queryset(self):
        return (
            Invitation.objects.pending()
            .for_user(self.request.user)
            .select_related("organisation", "invited_by")
        )


def _pending_invitation_for(request, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.pending().for_user(request.user).select_related("organisation"), pk=pk
    )


@require_POST
@login_required
def invitation_accept(request, pk: int):
    invitation = _pending_invitation_for(request, pk)
    try:
        membership = services.invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("organisations:invitations")
    set_current_organisation(request, membership.organisation)
    messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
    return redirect(membership.organisation.get_absolute_url())


@require_POST
@login_required
def invitation_decline(request, pk: int):
    invitation = _pending_invitation_for(request, pk)
    try:
        services.invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("organisations:invitations")


@require_POST
@login_required
def invitation_revoke(request, slug: str, pk: int):
    organisation = get_organisation_for_owner(request, slug)
    invitation = get_object_or_404(organisation.invitations.pending(), pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        # Answered (or withdrawn) in the meantime: say so, never claim it was withdrawn.
        messages.error(request, _error_text(error))
        return redirect(_members_url(organisation))
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect(_members_url(organisation))
