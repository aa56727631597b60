"""An organisation's past projects: owners and editors add and remove their own entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import get_organisation_for_editor

from .models import PastProjectSource
from .track_record_forms import PastProjectForm
from .track_records import past_project_add, past_project_remove, track_record


@login_required
def past_projects(request, slug: str):
    organisation = get_organisation_for_editor(request, slug)
    form = PastProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        role = data.pop("role")
        themes = data.pop("themes")
        try:
            past_project_add(organisation=organisation, role=role, themes=themes, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was added to your track record."))
            return redirect("projects:past-projects", slug=organisation.slug)
    return render(
        request,
        "projects/past_projects.html",
        {
            "organisation": organisation,
            "form": form,
            "record": track_record(organisation),
            "profile_source": PastProjectSource.PROFILE,
        },
    )


@require_POST
@login_required
def past_project_delete(request, slug: str, pk: int):
    organisation = get_organisation_for_editor(request, slug)
    try:
        past_project_remove(organisation=organisation, pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The project was removed from your track record."))
    return redirect("projects:past-projects", slug=organisation.slug)
