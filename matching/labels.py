"""Each matching component's name as the pages show it (suggestions, the review in the admin)."""

from django.utils.translation import pgettext_lazy

#: Lazy, so each follows the active language; one place for both apps' pages.
COMPONENT_LABELS = {
    "goals": pgettext_lazy("matching component", "Goals"),
    "sector": pgettext_lazy("matching component", "Sector"),
    "country": pgettext_lazy("matching component", "Country"),
    "target_groups": pgettext_lazy("matching component", "Target groups"),
    "language": pgettext_lazy("matching component", "Language"),
    "experience": pgettext_lazy("matching component", "Experience"),
    "trust": pgettext_lazy("matching component", "Freshness and trust"),
    "track_record": pgettext_lazy("matching component", "Track record"),
    "relevance": pgettext_lazy("matching component", "Similar work"),
}


def component_label(name: str) -> str:
    return str(COMPONENT_LABELS.get(name, name))
