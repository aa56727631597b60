from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerhub.admin_actions import run_with_note
from partnerhub.admin_filters import country_filter
from partnerhub.search import FullTextAdminSearch

from . import accounts, services
from .models import Invitation, Membership, Organisation, Role
from .taxonomy import Activity, FieldOfActivity, Language, Programme, TargetGroup, Theme


class OwnerKeepingFormSet(BaseInlineFormSet):
    """The admin keeps the site's rule: an organisation with members keeps an owner."""

    def clean(self):
        super().clean()
        remaining = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if remaining and not any(data.get("role") == Role.OWNER for data in remaining):
            raise ValidationError(
                _("An organisation needs at least one owner: make someone else an owner first.")
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = OwnerKeepingFormSet
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("email", "role", "invited_by", "created_at", "accepted_at", "declined_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(FullTextAdminSearch, admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "country",
        "city",
        "is_verified",
        "is_active",
        "member_count",
        "updated_at",
    )
    list_filter = (
        "is_verified",
        "is_active",
        ("hidden_at", admin.EmptyFieldListFilter),
        "kind",
        # Only the countries and themes some organisation has, not all 249 countries.
        country_filter("country", _("country")),
        "experience",
        ("themes", admin.RelatedOnlyFieldListFilter),
    )
    # Besides these fields, the site's full-text search (FullTextAdminSearch).
    search_fields = ("name", "city", "oid", "registration_number", "email")
    list_select_related = True
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("fields", "themes", "target_groups", "languages", "programmes")
    # Moderation (hidden_*) goes through the actions, which tell the owners why.
    readonly_fields = (
        "verified_at",
        "verified_by",
        "hidden_at",
        "hidden_reason",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "updated_at"
    inlines = [MembershipInline, InvitationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Organisations are deactivated, never deleted: their ideas, applications and
    # history belong to other organisations' records too (PROTECT).
    actions = ["verify", "unverify", "deactivate", "activate", "hide", "show"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "city", "description", "logo")}),
        (
            _("Profile"),
            {
                "fields": (
                    "fields",
                    "themes",
                    "target_groups",
                    "languages",
                    "experience",
                    "programmes",
                )
            },
        ),
        (
            _("Contact and identifiers"),
            {"fields": ("website", "email", "oid", "registration_number")},
        ),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "is_verified",
                    "verified_at",
                    "verified_by",
                    "hidden_at",
                    "hidden_reason",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deactivate selected organisations (hide them from everyone)"))
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext("%d organisation deactivated.", "%d organisations deactivated.", count)
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Reactivate selected organisations"))
    def activate(self, request, queryset):
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(
            request,
            ngettext("%d organisation reactivated.", "%d organisations reactivated.", count)
            % count,
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        # Verification goes through the actions, which record who and when.
        return (*self.readonly_fields, "is_verified")

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, organisation) -> int:
        return organisation._member_count

    @admin.action(description=_("Verify selected organisations"))
    def verify(self, request, queryset):
        count = 0
        for organisation in queryset.filter(is_verified=False):
            services.organisation_verify(organisation=organisation, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%d organisation verified.", "%d organisations verified.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw verification of selected organisations"))
    def unverify(self, request, queryset):
        count = 0
        for organisation in queryset.filter(is_verified=True):
            services.organisation_unverify(organisation=organisation, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Verification withdrawn from %d organisation.",
                "Verification withdrawn from %d organisations.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Hide from the public (with a reason)"), permissions=["change"])
    def hide(self, request, queryset):
        return run_with_note(
            self,
            request,
            queryset,
            apply=lambda organisation, reason: services.organisation_hide(
                organisation=organisation, by=request.user, reason=reason
            ),
            title=_("Hide from the public"),
            intro=_(
                "Visitors, suggestions and other organisations no longer see these profiles. "
                "Their owners and editors are told, with your reason, and see it on the profile."
            ),
            label=_("Reason the organisation reads"),
            max_length=services.HIDDEN_REASON_MAX,
            submit_label=_("Hide"),
            done=lambda count: (
                ngettext("%d organisation hidden.", "%d organisations hidden.", count) % count
            ),
        )

    @admin.action(description=_("Show again to the public"), permissions=["change"])
    def show(self, request, queryset):
        count = 0
        for organisation in queryset.filter(hidden_at__isnull=False):
            services.organisation_show(organisation=organisation, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%d organisation is public again.", "%d organisations are public again.", count
            )
            % count,
            messages.SUCCESS,
        )


def _is_last_owner(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and not Membership.objects.owners()
        .filter(organisation_id=membership.organisation_id)
        .exclude(pk=membership.pk)
        .exists()
    )


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("organisation", "user", "role")

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and self.instance.role == Role.OWNER
            and cleaned.get("role") != Role.OWNER
            and _is_last_owner(self.instance)
        ):
            raise ValidationError(
                _("An organisation needs at least one owner: make someone else an owner first.")
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("organisation", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("organisation__name", "user__email")
    list_select_related = ("organisation", "user")
    autocomplete_fields = ("organisation", "user")

    def has_delete_permission(self, request, obj=None):
        # The last owner stays: the same rule as services.membership_remove.
        if obj is not None and _is_last_owner(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        refused = 0
        for membership in queryset.select_related("organisation", "user"):
            try:
                services.membership_remove(membership=membership, by=request.user)
            except ValidationError:
                refused += 1
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d last owner was kept: an organisation needs an owner.",
                    "%d last owners were kept: an organisation needs an owner.",
                    refused,
                )
                % refused,
                messages.WARNING,
            )


class PartnerHubUserAdmin(UserAdmin):
    """Deleting a user goes through the same service as deleting one's own account."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and accounts.organisations_blocking_deletion(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Memberships go with the account under the service's own rules (a last owner
        # with other members blocks the deletion above), not under the membership admin's.
        perms_needed = {name for name in perms_needed if name != Membership._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        accounts.account_delete(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            try:
                accounts.account_delete(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {' '.join(error.messages)}", messages.ERROR)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PartnerHubUserAdmin)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "accepted_at",
        "declined_at",
    )
    list_filter = (
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("declined_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation", "invited_by")
    autocomplete_fields = ("organisation", "invited_by")
    readonly_fields = ("created_at",)


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("lv", _("Latvian label missing")), ("lt", _("Lithuanian label missing"))]

    def queryset(self, request, queryset):
        if self.value() in ("lv", "lt"):
            return queryset.filter(Q(**{f"name_{self.value()}": ""}))
        return queryset


class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_lv", "name_lt", "position")
    list_editable = ("position",)
    list_filter = (MissingTranslationFilter,)
    search_fields = ("code", "name_en", "name_lv", "name_lt")
    ordering = ("position", "code")
    # Terms have no relations to join.
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        # Codes never change once data uses them (taxonomy.md).
        return ("code",) if obj else ()


for _model in (FieldOfActivity, Theme, TargetGroup, Programme, Activity, Language):
    admin.site.register(_model, TermAdmin)
