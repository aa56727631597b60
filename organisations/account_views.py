"""The person's own account pages under /accounts/: their data, and deleting the account."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from partnerhub.privacy import row, user_data

from . import accounts
from .models import Invitation


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."), code="wrong_password")
        return password


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request):
    """GET: what the export holds. POST: the JSON file."""
    if request.method == "GET":
        return render(request, "account/data_export.html")
    data = user_data(request.user)
    data["invitations_to_you"] = [
        row(invitation) for invitation in Invitation.objects.for_user(request.user).order_by("pk")
    ]
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"partnerhub-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    blocking = accounts.organisations_blocking_deletion(user)
    if request.method == "POST" and not blocking and form.is_valid():
        try:
            accounts.account_delete(user=user, by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("account-delete")
        logout(request)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("home")
    context = {
        "form": form,
        "blocking": blocking,
        "refusal": accounts.deletion_refusal(blocking) if blocking else "",
        "emptied": accounts.organisations_left_empty(user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "account/delete_account.html", context, status=status)
