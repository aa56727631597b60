"""Admin actions that need a written note (a decision, a moderation reason) before they run.

The admin's own pattern for a confirmation step (``delete_selected``): the
action answers the first POST with an intermediate page listing the selected
objects and a form; that page posts back to the same changelist with the same
action, and the action then runs. Shared by the organisations and projects admins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class NoteForm(forms.Form):
    """One required note; its label, help text and length come from the action."""

    def __init__(self, *args, label, help_text="", max_length=2000, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = forms.CharField(
            label=label,
            help_text=help_text,
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
            error_messages={"required": _("Write a note: it is required for this action.")},
        )


def note_page(
    modeladmin,
    request,
    *,
    objects: Iterable,
    form: forms.Form,
    title,
    intro="",
    submit_label,
    action: str = "",
    cancel_url: str = "",
) -> TemplateResponse:
    """The intermediate page: what will change, the form, and a way back."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "objects": list(objects),
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "opts": opts,
        "app_label": opts.app_label,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/note_action.html", context)


def run_with_note(
    modeladmin,
    request,
    queryset,
    *,
    apply: Callable[[object, str], None],
    title,
    label,
    submit_label,
    done: Callable[[int], str],
    intro="",
    help_text="",
    max_length: int = 2000,
) -> TemplateResponse | None:
    """Ask for the note, then ``apply(obj, note)`` to each selected object.

    A refusal (ValidationError) of one object is reported and the others go on;
    ``done(count)`` is the success message.
    """
    form_kwargs = {"label": label, "help_text": help_text, "max_length": max_length}
    if request.POST.get("post") == "yes":
        form = NoteForm(request.POST, **form_kwargs)
        if form.is_valid():
            count = 0
            for obj in queryset:
                try:
                    apply(obj, form.cleaned_data["note"])
                except ValidationError as error:
                    modeladmin.message_user(
                        request, f"{obj}: {' '.join(error.messages)}", messages.ERROR
                    )
                else:
                    count += 1
            if count:
                modeladmin.message_user(request, done(count), messages.SUCCESS)
            return None
    else:
        form = NoteForm(**form_kwargs)
    return note_page(
        modeladmin,
        request,
        objects=queryset,
        form=form,
        title=title,
        intro=intro,
        submit_label=submit_label,
        action=request.POST.get("action", ""),
    )
