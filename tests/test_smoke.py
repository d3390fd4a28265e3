def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_officer_reaches_home(officer_client, world):
    response = officer_client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert b"AK-159/20" in response.data
