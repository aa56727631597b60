"""Dependencies: every pin in pyproject.toml is in the hashed lock file that `make` installs."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = {}
    for requirement in requirements:
        name, version = re.fullmatch(
            r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", requirement
        ).groups()
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_every_pin_is_locked_with_its_hash():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, flags=re.M)
    }
    missing = {name: version for name, version in _pins().items() if locked.get(name) != version}
    assert not missing, f"run `make lock`: {missing} not in requirements.lock"
    entries = re.findall(
        r"^[A-Za-z0-9_.-]+==\S+ \\\n((?:    --hash=sha256:[0-9a-f]{64}.*\n)+)", lock, flags=re.M
    )
    assert len(entries) == len(locked), "every locked package carries its hashes"
