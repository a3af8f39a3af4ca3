"""The probes load balancers and the benchmark ask."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_says_when_the_database_does_not(client):
    with mock.patch("residency_site.health.connection.cursor", side_effect=OperationalError):
        response = client.get("/readyz")
    assert response.status_code == 503
