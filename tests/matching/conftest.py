import pytest

from matching import services
from matching.cache import features
from matching.need_cache import open_ideas


@pytest.fixture(autouse=True)
def fresh_matching_cache():
    """Each test starts with an empty process cache, as a new worker would."""
    features.clear()
    open_ideas.clear()
    services.clear_labels()
    yield
    features.clear()
    open_ideas.clear()
