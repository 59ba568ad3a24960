def test_health_answers_with_the_version(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_document_is_served_under_api(client):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Tenure"
    assert "/api/health" in document["paths"]


def test_unknown_route_gets_the_one_error_shape(client):
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "http_error", "message": "Not Found"}}
