"""Loads the taxonomies from fixtures/taxonomies.json: every installation needs them.

Used by a data migration (so `migrate` alone provides them) and by
`load_demo_data` (so entries added to the file later reach existing databases).
Codes are never renamed; labels and positions are updated in place.
"""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from .taxonomy import VOCABULARIES

TAXONOMY_FILE = Path(settings.BASE_DIR) / "fixtures" / "taxonomies.json"


def load_taxonomies(get_model: Callable[[str], type], path: Path = TAXONOMY_FILE) -> int:
    """Create or update every term in the file; returns how many terms it holds."""
    data = json.loads(path.read_text(encoding="utf-8"))
    total = 0
    for key, model_name in VOCABULARIES.items():
        model = get_model(model_name)
        existing = {term.code: term for term in model.objects.all()}
        for position, entry in enumerate(data.get(key, []), start=1):
            values = {
                "name_en": entry["en"],
                "name_lv": entry.get("lv", ""),
                "name_lt": entry.get("lt", ""),
                "position": position,
            }
            term = existing.get(entry["code"])
            if term is None:
                model.objects.create(code=entry["code"], **values)
            elif any(getattr(term, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(term, field, value)
                term.save()
            total += 1
    return total
