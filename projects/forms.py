"""Forms for project ideas: validation and cleaning only; the writes are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from organisations.models import Kind, Organisation
from partnerhub.validators import NameField

from .models import Call, IdeaStatus, ProjectIdea, today
from .services import idea_rule_errors, lead_call_problem

NO_CALL = "none"


class CallChoiceForm(forms.Form):
    """Step one of a new idea: which call it aims at, or none."""

    call = forms.ChoiceField(label=_("Funding call"), widget=forms.RadioSelect)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [
            *((call.code, str(call)) for call in calls),
            (NO_CALL, _("No specific call yet")),
        ]


#: Erasmus+ and European Solidarity Corps country groups, to make a long list scannable.
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
ASSOCIATED_COUNTRIES = frozenset(["IS", "LI", "NO", "MK", "RS", "TR"])
NEIGHBOURING_COUNTRIES = frozenset(
    [
        "AL",
        "BA",
        "ME",
        "XK",
        "AM",
        "AZ",
        "GE",
        "MD",
        "UA",
        "BY",
        "DZ",
        "EG",
        "IL",
        "JO",
        "LB",
        "LY",
        "MA",
        "PS",
        "SY",
        "TN",
    ]
)


def country_choices(call: Call | None) -> list:
    """Countries to seek partners in, grouped and named in the active language.

    For a call: only the countries it accepts partners from (its partner-only
    countries in a group of their own). Without a call, or for a call open to
    any country: every country, grouped as EU member states, associated
    countries, neighbouring partner countries and the rest of the world.
    """
    names = dict(countries)  # translated on iteration, in the active language

    def group(codes) -> list[tuple[str, str]]:
        return sorted(((code, str(names.get(code, code))) for code in codes), key=lambda c: c[1])

    eligible = {c.code for c in call.eligible_countries} if call is not None else set()
    if eligible:
        partner_only = call.rules.partner_only_countries
        main = eligible - partner_only
        if not partner_only:
            return group(main)
        return [
            (_("Countries that can apply or be partners"), group(main)),
            (_("Partner countries (as partners only)"), group(partner_only)),
        ]
    rest = set(names) - EU_MEMBER_STATES - ASSOCIATED_COUNTRIES - NEIGHBOURING_COUNTRIES
    return [
        (_("EU member states"), group(EU_MEMBER_STATES)),
        (_("Countries associated to Erasmus+"), group(ASSOCIATED_COUNTRIES)),
        (_("Neighbouring partner countries"), group(NEIGHBOURING_COUNTRIES & set(names))),
        (_("Other countries"), group(rest)),
    ]


class IdeaForm(forms.ModelForm):
    """Create or edit an idea; the call is fixed by step one and its rules are shown above."""

    lead = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that applies for the grant and coordinates the partners."),
    )
    countries_sought = forms.MultipleChoiceField(
        label=_("Partner countries sought"),
        required=False,
        # Choices are set per form: the call's countries, named in the active language.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "country-choices"}),
        help_text=_("Leave empty if any eligible country will do."),
    )
    kinds_sought = forms.MultipleChoiceField(
        label=_("Which kinds of organisation are you looking for?"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # Complementarity is the lead's choice (docs/matching.md, "sector").
        help_text=_(
            "Suggested partners of these kinds rank higher, and so do those that add an "
            "NGO, public body or education provider your consortium lacks. Leave empty if any "
            "kind is welcome: then no kind or sector is favoured."
        ),
    )

    class Meta:
        model = ProjectIdea
        field_classes = {"title": NameField}
        fields = [
            "lead",
            "call",
            "programme",
            "title",
            "summary",
            "goals",
            "themes",
            "target_groups",
            "activities",
            "countries_sought",
            "kinds_sought",
            "fields_sought",
            "partners_wanted",
            "language",
            "start_date",
            "duration_months",
            "budget",
            "closes_on",
        ]
        widgets = {
            "call": forms.HiddenInput,
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "activities": forms.CheckboxSelectMultiple,
            "fields_sought": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "summary": _(
                "What you want to do and why, in a few sentences partners will read first."
            ),
            "partners_wanted": _("How many partner organisations you are looking for."),
            "closes_on": _("Until when organisations can apply to join."),
        }

    def __init__(self, *args, user, call: Call | None, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["call"].queryset = Call.objects.all()
        self.fields["call"].required = False
        if self.instance.pk:
            # The lead of an existing idea does not change.
            del self.fields["lead"]
        else:
            leads = list(leads or [])
            self.fields["lead"].queryset = Organisation.objects.filter(
                pk__in=[lead.pk for lead in leads]
            ).order_by("name")
            if len(leads) == 1:
                self.fields["lead"].widget = forms.HiddenInput()
        if call is not None:
            self.fields["call"].initial = call.pk
            del self.fields["programme"]
        else:
            self.fields["programme"].help_text = _(
                "The funding programme you have in mind, if you know it."
            )
        self.fields["countries_sought"].choices = country_choices(call)
        if call is not None and not call.partners_allowed:
            # Nothing to seek: the call takes no partners.
            for name in ("countries_sought", "kinds_sought", "fields_sought"):
                self.fields.pop(name, None)
            self.fields["partners_wanted"].initial = 0
            self.fields["partners_wanted"].help_text = _(
                "This call takes no partners: leave it at 0."
            )
        elif call is not None:
            self.fields["partners_wanted"].initial = max(call.rules.organisations_required - 1, 1)
        self.initial["countries_sought"] = [
            getattr(c, "code", c) for c in self.initial.get("countries_sought", [])
        ]
        for name in ("themes", "target_groups", "activities", "fields_sought", "programme"):
            if name in self.fields:
                self.fields[name].label_from_instance = lambda term: term.label

    @property
    def opening_problems(self) -> list[str]:
        """What a saved draft must fix before it can be opened for partners (shown, not enforced)."""
        if not self.instance.pk or self.instance.status != IdeaStatus.DRAFT:
            return []
        errors = idea_rule_errors(self.instance)
        return [message for messages in errors.values() for message in messages]

    def clean_call(self):
        # The call comes from step one (or the idea); a tampered hidden value is ignored.
        return self.call

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        status = self.instance.status if self.instance.pk else IdeaStatus.DRAFT
        unchanged = self.instance.pk and closes_on == self.instance.closes_on
        if (
            closes_on
            and closes_on < today()
            and status in (IdeaStatus.DRAFT, IdeaStatus.OPEN)
            and not unchanged
        ):
            raise forms.ValidationError(
                _("The closing date for partner applications cannot be in the past.")
            )
        return closes_on

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead") if "lead" in self.fields else self.instance.lead
        if lead is not None and self.call is not None:
            problem = lead_call_problem(lead, self.call)
            if problem:
                visible = "lead" in self.fields and not self.fields["lead"].widget.is_hidden
                self.add_error("lead" if visible else None, problem)
        return cleaned

    def _post_clean(self):
        # The lead is set by the view/service; model validation of the rest still runs.
        if "lead" in self.fields and self.cleaned_data.get("lead"):
            self.instance.lead = self.cleaned_data["lead"]
        super()._post_clean()


# --- Conversations between organisations -----------------------------------------------


class _ShowHiddenErrors:
    """A refused hidden field (the organisation one writes as) says so above the form."""

    def full_clean(self):
        super().full_clean()
        for name in list(self.errors):
            if name in self.fields and self.fields[name].widget.is_hidden:
                label = self.fields[name].label
                self.add_error(None, [f"{label}: {error}" for error in self.errors[name]])


class ContactForm(_ShowHiddenErrors, forms.Form):
    """A first message to another organisation, written as one of the sender's organisations.

    ``senders`` are the organisations the person may write for (owner or editor);
    the choice is shown only when there is more than one. ``ideas`` are the
    published ideas the message may be about (the sender's or the recipient's).
    """

    sender = forms.ModelChoiceField(
        label=_("Write as"), queryset=Organisation.objects.none(), empty_label=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The other organisation reads your organisation's name and your display name, "
            "never your e-mail address. It answers here on PartnerHub."
        ),
    )
    idea = forms.ModelChoiceField(
        label=_("About the idea (optional)"),
        queryset=ProjectIdea.objects.none(),
        required=False,
        empty_label=_("No particular idea"),
    )

    def __init__(self, *args, senders, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders
        self.only_sender = senders[0] if len(senders) == 1 else None
        if self.only_sender is not None:
            self.fields["sender"].widget = forms.HiddenInput()
            self.fields["sender"].required = False
        self.fields["idea"].queryset = ideas
        if not ideas:
            del self.fields["idea"]

    def clean_sender(self):
        return self.cleaned_data.get("sender") or self.only_sender


class MessageForm(_ShowHiddenErrors, forms.Form):
    """A reply in a thread; ``senders`` are the sides of the thread the person may write for."""

    sender = forms.ModelChoiceField(
        label=_("Write as"), queryset=Organisation.objects.none(), empty_label=None
    )
    body = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, senders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders
        self.only_sender = senders[0] if len(senders) == 1 else None
        if self.only_sender is not None:
            # One side to write for: nothing to choose, and nothing to forget to send.
            self.fields["sender"].widget = forms.HiddenInput()
            self.fields["sender"].required = False
            self.fields["sender"].initial = self.only_sender.pk

    def clean_sender(self):
        return self.cleaned_data.get("sender") or self.only_sender


# --- Partnership applications and invitations ---------------------------------------------
# Kept at the end of the module: the idea form above is edited separately.
from .models import PartnershipApplication  # noqa: E402


def _limit(name: str) -> int:
    """The model's own length limit, so the form refuses what the database would."""
    return PartnershipApplication._meta.get_field(name).max_length


#: An answer's note is kept in the history (ApplicationEvent.note).
NOTE_MAX_LENGTH = 2000


class ApplicationForm(forms.Form):
    """An organisation applies to join an idea: a short structured answer, not a free letter."""

    organisation = forms.ModelChoiceField(
        label=_("Apply as"), queryset=Organisation.objects.none(), empty_label=None
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=_limit("motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What draws your organisation to this idea, in a few sentences."),
    )
    proposed_role = forms.CharField(
        label=_("Proposed role"),
        max_length=_limit("proposed_role"),
        required=False,
        help_text=_("For example: hosts the second exchange, leads the dissemination."),
    )
    contribution = forms.CharField(
        label=_("What you would contribute"),
        max_length=_limit("contribution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("People, venues, target groups you reach, skills."),
    )
    experience = forms.CharField(
        label=_("Relevant experience"),
        max_length=_limit("experience"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Similar projects or activities, even small or local ones."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=_limit("contact_name"),
        required=False,
        help_text=_(
            "Who the lead will be talking to. No e-mail address is shown: "
            "you talk through PartnerHub's messages."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()


class ApplicationNoteForm(forms.Form):
    """The optional note that goes with an answer (accept, decline, withdraw)."""

    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    """The lead's optional message with an invitation from the suggestions page."""

    note = forms.CharField(
        label=_("Message (optional)"),
        max_length=_limit("motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you think they fit: the invited organisation reads it first."),
    )


class InviteToIdeaForm(InviteForm):
    """Invite the organisation of a profile to one of the ideas the user's organisation leads."""

    idea = forms.ModelChoiceField(
        label=_("Idea"), queryset=ProjectIdea.objects.none(), empty_label=None
    )

    field_order = ["idea", "note"]

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = ideas
