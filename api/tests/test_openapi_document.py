"""The OpenAPI document is one a client generator accepts (issue 20).

openapi-python-client refused it while a parameter carried ``examples`` as a list (OpenAPI 3.1
allows a list only inside a schema; on a parameter it is a map of Example Objects), and dropped
the problem answers while the RFC 9457 schema was repeated inline per status code. The full
check (validator, generated client, calls against a live server) is ``make api-client-check``;
these guard the two faults in the main suite, without its virtualenv.
"""

import pytest

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def examples_outside_schemas(node, path=(), in_schema=False):
    """Where ``examples`` stands outside a Schema Object and is not a map of Example Objects."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from examples_outside_schemas(item, (*path, index), in_schema)
        return
    if not isinstance(node, dict):
        return
    if not in_schema and "examples" in node:
        examples = node["examples"]
        if not isinstance(examples, dict) or not all(
            isinstance(example, dict) for example in examples.values()
        ):
            yield "/".join(map(str, (*path, "examples")))
    for key, value in node.items():
        entering = in_schema or key == "schema" or path == ("components", "schemas")
        yield from examples_outside_schemas(value, (*path, key), entering)


def operations(document):
    for route, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {route}", operation


def test_no_parameter_or_media_type_carries_examples_as_a_list(document):
    assert list(examples_outside_schemas(document)) == []
    deadlines = {p["name"]: p for p in document["paths"]["/api/v1/deadlines"]["get"]["parameters"]}
    # The example is still there for a reader: on the parameter (one value) and in its schema (a list).
    assert deadlines["start"]["example"] == "2024-11-22"
    assert deadlines["start"]["schema"]["examples"] == ["2024-11-22"]


def test_the_walk_finds_a_list_of_examples_on_a_parameter():
    broken = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {
                            "name": "start",
                            "examples": ["2024-11-22"],
                            "schema": {"type": "string", "examples": ["2024-11-22"]},
                        }
                    ]
                }
            }
        }
    }
    assert list(examples_outside_schemas(broken)) == ["paths//x/get/parameters/0/examples"]


def test_every_problem_answer_refers_to_the_one_problem_component(document):
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail", "errors"]
    answers = 0
    for name, operation in operations(document):
        for status, answer in operation["responses"].items():
            content = answer.get("content", {})
            if status.startswith(("4", "5")):
                assert list(content) == ["application/problem+json"], f"{name} {status}: {list(content)}"
            if "application/problem+json" in content:
                assert content["application/problem+json"]["schema"] == PROBLEM_REF, f"{name} {status}"
                answers += 1
        assert "400" in operation["responses"], f"{name} documents no problem answer"
        if operation.get("security"):
            assert {"401", "403", "429"} <= set(operation["responses"]), f"{name}: a partner call's refusals"
    assert answers >= 70
    # Nowhere else is the problem schema spelt out again.
    assert str(document).count("'uri-reference'") == 1
