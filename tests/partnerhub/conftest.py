import pytest


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """The test client, running each POST's on-commit hooks: account mail is queued on commit."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client
