"""Which database a request reads from when read replicas are configured."""

import pytest
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from programs.models import Program
from residency_site.replicas import PrimaryReplicaRouter, ReplicaMiddleware

router = PrimaryReplicaRouter()
REPLICAS = ["replica1", "replica2"]


def read_during(request) -> str:
    """The database a model read would use while ``request`` is being answered."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Program))
        return HttpResponse()

    ReplicaMiddleware(view)(request)
    return seen[0]


@override_settings(READ_REPLICAS=REPLICAS)
def test_a_visitors_directory_reads_go_to_a_replica():
    assert read_during(RequestFactory().get("/programs/?q=x")) in REPLICAS
    assert read_during(RequestFactory().head("/programs/1/")) in REPLICAS


@override_settings(READ_REPLICAS=REPLICAS)
@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/programs/1/report/"),
        RequestFactory().get("/admin/programs/program/"),
        # Anyone with a session reads back what they have just saved.
        RequestFactory(headers={"cookie": f"{settings.SESSION_COOKIE_NAME}=abc"}).get(
            "/me/matches/"
        ),
    ],
    ids=["a form posted", "the admin", "a session"],
)
def test_writes_the_admin_and_sessions_read_from_the_primary(request_):
    assert read_during(request_) == "default"


@override_settings(READ_REPLICAS=REPLICAS)
def test_outside_a_request_everything_uses_the_primary():
    assert router.db_for_read(Program) == "default"
    assert router.db_for_write(Program) == "default"
    assert router.allow_migrate("replica1", "programs") is False
    assert router.allow_migrate("default", "programs") is True


@override_settings(READ_REPLICAS=REPLICAS)
def test_a_streamed_export_reads_from_a_replica_while_it_is_sent():
    def view(request):
        return StreamingHttpResponse(router.db_for_read(Program) for _ in range(2))

    response = ReplicaMiddleware(view)(RequestFactory().get("/programs/export.csv"))
    assert router.db_for_read(Program) == "default"
    assert {part.decode() for part in response.streaming_content} <= set(REPLICAS)
    assert router.db_for_read(Program) == "default"


@override_settings(READ_REPLICAS=[])
def test_without_replicas_every_read_uses_the_primary():
    assert read_during(RequestFactory().get("/programs/")) == "default"
