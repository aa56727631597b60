import io

import pytest
from django.core.management import call_command

from matching.cache import features
from matching.need_cache import open_ideas
from tests.factories import OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def test_warm_matching_loads_both_caches():
    ProjectIdeaFactory()
    OrganisationFactory()
    out = io.StringIO()
    call_command("warm_matching", stdout=out)
    assert out.getvalue().strip() == "organisations 2, open ideas 1"
    assert len(features) == 2
    assert len(open_ideas) == 1


def test_warm_suggestions_then_need_no_rebuild(django_assert_max_num_queries):
    from matching.warmup import warm_caches

    OrganisationFactory.create_batch(3)
    warm_caches()
    with django_assert_max_num_queries(1):
        assert features.warm() == 3
