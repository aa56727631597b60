"""Pages for funding calls and project ideas. Thin: scoping in querysets, writes in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from organisations.current import current_organisation
from organisations.models import Kind, Organisation

from . import eligibility, services
from .application_views import apply_state, consortium_panel, lead_summary
from .consortium import consortium_of
from .filters import CallFilter, IdeaFilter, clean_filter_data, idea_facets, idea_list_controls
from .forms import NO_CALL, CallChoiceForm, IdeaForm
from .models import Call, IdeaStatus, ProjectIdea

KIND_LABELS = dict(Kind.choices)


def rules_text(call: Call | None) -> list[str]:
    return eligibility.describe(call.rules, KIND_LABELS) if call else []


def _idea_for_member(request, slug: str) -> ProjectIdea:
    """An idea the user's organisation leads; anyone else gets 404."""
    return get_object_or_404(ProjectIdea.objects.of_member(request.user), slug=slug)


def _idea_for_editor(request, slug: str) -> ProjectIdea:
    """An idea the user may change: 404 outside the lead organisation, 403 for its viewers."""
    idea = _idea_for_member(request, slug)
    if not ProjectIdea.objects.editable_by(request.user).filter(pk=idea.pk).exists():
        raise PermissionDenied(_("Only owners and editors of the lead organisation can do this."))
    return idea


class ForgivingListMixin:
    """A malformed filter or page number shows a normal page with a notice, never an error.

    Links get shared, bookmarked and edited by hand; a stale `?page=9` or a
    `?call=` for a removed call should not look like a broken site.
    """

    ignored_filters: list[str]

    def get_filterset(self, filterset_class):
        filterset, self.ignored_filters = clean_filter_data(
            filterset_class, self.request.GET, **self.get_filterset_kwargs_extra()
        )
        return filterset

    def get_filterset_kwargs_extra(self) -> dict:
        return {"queryset": self.get_queryset(), "request": self.request}

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        try:
            page = paginator.page(self.request.GET.get(self.page_kwarg) or 1)
        except InvalidPage:
            self.ignored_filters = [*self.ignored_filters, self.page_kwarg]
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ignored_filters"] = self.ignored_filters
        return context


class IdeaListView(ForgivingListMixin, FilterView):
    """/ideas/: search, filters with counts, sort, pages; open ideas unless a status is chosen."""

    filterset_class = IdeaFilter
    paginate_by = 20
    template_name = "projects/projectidea_list.html"
    strict = False

    def get_queryset(self):
        return (
            ProjectIdea.objects.visible_to(self.request.user)
            .select_related("lead", "call", "programme")
            .prefetch_related("themes")
        )

    def get_filterset_kwargs_extra(self) -> dict:
        return {**super().get_filterset_kwargs_extra(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        context["facets"] = idea_facets(filterset.qs, filterset.data)
        context["result_count"] = context["paginator"].count
        context.update(idea_list_controls(self.request, filterset, context["facets"]))
        context["can_create"] = Organisation.objects.editable_by(self.request.user).exists()
        return context


class IdeaDetailView(DetailView):
    """/ideas/<slug>/: the idea, its consortium so far, and what the call still requires."""

    def get_queryset(self):
        return (
            ProjectIdea.objects.visible_to(self.request.user)
            .select_related("lead", "call", "call__programme", "programme", "language")
            .prefetch_related("themes", "target_groups", "activities", "fields_sought")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.object
        user = self.request.user
        consortium = consortium_of(idea)
        role = None
        if user.is_authenticated:
            membership = idea.lead.memberships.filter(user=user).first()
            role = membership.role if membership else None
        can_edit = role in ("owner", "editor")
        context.update(
            # The members, their countries and kinds, and the call's verdict (as on the triage).
            **consortium_panel(idea, consortium),
            # Apply (for everyone else) or the lead's applications and invitations.
            apply=apply_state(self.request, idea) if role is None else {},
            **(lead_summary(idea) if role is not None else {}),
            is_member=role is not None,
            can_edit=can_edit,
            status_actions=_status_actions(idea) if can_edit else [],
            kind_labels=[KIND_LABELS.get(kind, kind) for kind in idea.kinds_sought],
            suggested_partners_url=_suggested_partners_url(idea) if role else None,
        )
        return context


def _status_actions(idea: ProjectIdea) -> list[tuple[str, str]]:
    labels = {
        IdeaStatus.OPEN: pgettext("idea status action", "Open for partners"),
        IdeaStatus.CLOSED: _("Close"),
        IdeaStatus.ARCHIVED: _("Archive"),
        IdeaStatus.DRAFT: _("Back to draft"),
    }
    allowed = services.IDEA_TRANSITIONS[idea.status]
    return [(status, labels[status]) for status in IdeaStatus.values if status in allowed]


def _suggested_partners_url(idea: ProjectIdea) -> str | None:
    # The matching app adds this page; until it exists the link is simply not shown.
    try:
        return reverse("matching:idea-partners", kwargs={"slug": idea.slug})
    except NoReverseMatch:
        return None


class IdeaFormMixin(LoginRequiredMixin):
    """The call an idea aims at comes from `?call=` (step one) or the idea itself."""

    model = ProjectIdea
    form_class = IdeaForm
    template_name = "projects/projectidea_form.html"
    call: Call | None = None

    def call_from_request(self, default: Call | None) -> tuple[Call | None, bool]:
        """(call, understood): `none` means no call; an unknown or past call is not understood."""
        code = self.request.GET.get("call")
        if code is None:
            return default, True
        if code in ("", NO_CALL):
            return None, True
        call = Call.objects.select_related("programme").filter(code=code).first()
        if call is None or (not call.is_open and call != default):
            return default, False
        return call, True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            call=self.call,
            call_rules=rules_text(self.call),
            call_code=self.call.code if self.call else NO_CALL,
        )
        return context

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "lead"}
        data["call"] = self.call
        if self.call is not None:
            data["programme"] = self.call.programme
        try:
            self.object = self.save_idea(form, data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.object.get_absolute_url())


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class IdeaCreateView(IdeaFormMixin, CreateView):
    """/ideas/new/: first choose the call, then the form shows what that call requires."""

    success_message = _("Your idea is saved as a draft. Open it for partners when it is ready.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.leads = list(Organisation.objects.editable_by(request.user).order_by("name"))
            if not self.leads:
                raise PermissionDenied(
                    _("Only owners and editors of an organisation can post project ideas.")
                )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.call, understood = self.call_from_request(None)
        if "call" not in request.GET or not understood:
            return self.choose_call(understood)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.call, understood = self.call_from_request(None)
        if not understood:
            return self.choose_call(understood)
        return super().post(request, *args, **kwargs)

    def choose_call(self, understood: bool):
        calls = list(Call.objects.open().select_related("programme"))
        for call in calls:
            call.rules_text = rules_text(call)
        return self.response_class(
            request=self.request,
            template=["projects/idea_choose_call.html"],
            context={
                "form": CallChoiceForm(calls=calls),
                "calls": calls,
                "no_call": NO_CALL,
                "call_not_found": not understood,
                "view": self,
            },
            using=self.template_engine,
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        current = current_organisation(self.request)
        kwargs.update(user=self.request.user, call=self.call, leads=self.leads)
        initial = kwargs.setdefault("initial", {})
        chosen = next((o for o in self.leads if current and o.pk == current.pk), self.leads[0])
        initial.setdefault("lead", chosen.pk)
        return kwargs

    def save_idea(self, form, data):
        return services.idea_create(lead=form.cleaned_data["lead"], by=self.request.user, **data)


class IdeaUpdateView(IdeaFormMixin, UpdateView):
    success_message = _("Your changes are saved.")

    def get_object(self, queryset=None):
        idea = _idea_for_editor(self.request, self.kwargs["slug"])
        self.call, self.call_understood = self.call_from_request(idea.call)
        return idea

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, call=self.call)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calls = list(Call.objects.open())
        if self.object.call and self.object.call not in calls:
            calls.insert(0, self.object.call)
        context.update(calls=calls, call_not_found=not self.call_understood, no_call=NO_CALL)
        return context

    def save_idea(self, form, data):
        return services.idea_update(idea=self.object, by=self.request.user, **data)


@login_required
@require_POST
def idea_status(request, slug: str):
    """Open, close, archive or return an idea to draft (owners and editors of the lead)."""
    idea = _idea_for_editor(request, slug)
    try:
        services.idea_set_status(idea=idea, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The idea is now: %(status)s.") % {"status": idea.get_effective_status_display()},
        )
    return redirect(idea)


class CallListView(ForgivingListMixin, FilterView):
    """/calls/: open calls by deadline, filtered by programme, eligible country and deadline."""

    filterset_class = CallFilter
    template_name = "projects/call_list.html"
    paginate_by = 50
    strict = False

    def get_queryset(self):
        return (
            Call.objects.open()
            .select_related("programme")
            .annotate(
                # Counted per call (its ideas by index), not as a filter over every visible
                # idea joined to every organisation: 85 ms at 100,000 organisations.
                open_ideas=Coalesce(
                    Subquery(
                        ProjectIdea.objects.visible_to(self.request.user)
                        .open()
                        .filter(call=OuterRef("pk"))
                        .order_by()
                        .values("call")
                        .annotate(n=Count("pk"))
                        .values("n"),
                        output_field=IntegerField(),
                    ),
                    0,
                )
            )
            .order_by("deadline", "code")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for call in context["object_list"]:
            call.rules_text = rules_text(call)
        context["result_count"] = context["paginator"].count
        data = context["filter"].form.cleaned_data if context["filter"].is_valid() else {}
        # Each chosen programme counts, like each ticked box on the other list pages.
        context["active_filter_count"] = sum(
            (1 if isinstance(value, str | int) else len(value))
            for value in data.values()
            if value is not None and value != ""
        )
        return context


class CallDetailView(DetailView):
    """/calls/<code>/: the call, its rules in plain words, and the open ideas aimed at it."""

    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return Call.objects.select_related("programme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.object
        context.update(
            call_rules=rules_text(call),
            ideas=ProjectIdea.objects.visible_to(self.request.user)
            .open()
            .filter(call=call)
            .select_related("lead")
            .order_by("closes_on", "title"),
            lump_sums=[part.strip() for part in call.lump_sums.split(";") if part.strip()],
            can_create=Organisation.objects.editable_by(self.request.user).exists(),
        )
        return context
