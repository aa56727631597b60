"""What suggest_partners and suggest_ideas share: arguments, lookups and printing."""

import json

from django.core.management.base import CommandError

from matching.services import MAX_LIMIT, Suggestion, as_json


def limit_argument(parser, default: int = 20) -> None:
    parser.add_argument(
        "--limit",
        type=int,
        default=default,
        help=f"How many suggestions, 1 to {MAX_LIMIT} (default {default}).",
    )
    parser.add_argument("--json", action="store_true", help="Print a JSON list instead of a table.")


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}.")
    return limit


def write(command, suggestions: list[Suggestion], *, as_list: bool) -> None:
    if as_list:
        command.stdout.write(json.dumps(as_json(suggestions), ensure_ascii=False, indent=2))
        return
    if not suggestions:
        command.stdout.write("No suggestions.")
        return
    width = max(len(s.name) for s in suggestions)
    for rank, s in enumerate(suggestions, 1):
        components = " ".join(f"{name}={value}" for name, value in s.components.items())
        state = f"  [{s.state_label}]" if s.state else ""
        command.stdout.write(
            f"{rank:>3}. {s.score:>3}  {s.name:<{width}}  {s.country}  {s.slug}{state}"
        )
        command.stdout.write(f"          {components}")
        for reason in s.reasons:
            command.stdout.write(f"          - {reason}")
