"""Dependencies: every pin in pyproject.toml is in the hashed lock files that `make` installs.

requirements.lock holds what running the site needs (`make run`); requirements-dev.lock
the same versions plus the test, lint and browser tools (`make test`, `lint`, `e2e`).
"""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(group: str) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (
        project["dependencies"] if group == "run" else project["optional-dependencies"]["dev"]
    )
    pins = {}
    for requirement in requirements:
        name, version = re.fullmatch(
            r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", requirement
        ).groups()
        pins[_normal(name)] = version
    return pins


def _locked(filename: str) -> tuple[str, dict[str, str]]:
    lock = (ROOT / filename).read_text(encoding="utf-8")
    locked = {
        _normal(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, flags=re.M)
    }
    return lock, locked


def _hashed_entries(lock: str) -> int:
    return len(
        re.findall(
            r"^[A-Za-z0-9_.-]+==\S+ \\\n((?:    --hash=sha256:[0-9a-f]{64}.*\n)+)", lock, flags=re.M
        )
    )


def test_every_runtime_pin_is_locked_with_its_hash_and_no_tool_is():
    lock, locked = _locked("requirements.lock")
    missing = {name: v for name, v in _pins("run").items() if locked.get(name) != v}
    assert not missing, f"run `make lock`: {missing} not in requirements.lock"
    assert _hashed_entries(lock) == len(locked), "every locked package carries its hashes"
    tools = set(_pins("dev")) & set(locked)
    assert not tools, f"make run would install test and lint tools: {sorted(tools)}"


def test_the_development_lock_adds_the_tools_at_the_same_versions():
    lock, dev = _locked("requirements-dev.lock")
    missing = {
        name: v for name, v in {**_pins("run"), **_pins("dev")}.items() if dev.get(name) != v
    }
    assert not missing, f"run `make lock`: {missing} not in requirements-dev.lock"
    assert _hashed_entries(lock) == len(dev), "every locked package carries its hashes"
    _lock, runtime = _locked("requirements.lock")
    differ = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert not differ, f"the two locks disagree (run `make lock`): {differ}"
