from unittest import mock

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "clinic_assistant", "database": "ok"}


@pytest.mark.django_db
def test_health_reports_database_error_with_503(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "service": "clinic_assistant", "database": "error"}


def test_health_is_get_only(client):
    assert client.post("/health").status_code == 405
