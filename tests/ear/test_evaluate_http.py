"""The HTTP door, ``POST /v1/evaluate``, in process (fastapi TestClient): the same
determination as the library, and hostile or partial cases get a 422 naming the field,
never a 500 (issue 10 section 5, walked on branch ear2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from compliance.ear.case import Case, parse_json
from compliance.ear.determination import evaluate
from tests.ear.service_client import evaluate_client

KEY = "k-eval-ear2"
MINIMAL: dict[str, Any] = {
    "item": {"description": "controller"},
    "destination": "CN",
    "export_date": "2026-03-01",
}
NO = {
    "onward_to": {"russia_belarus": "no", "iran": "no", "macau_or_d5": "no"},
    "entity_list_party": "no",
    "affiliate_of_listed_party": "no",
    "government_of_iran_party": "no",
    "listed_entity_production": [],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with evaluate_client(tmp_path_factory.mktemp("svc"), KEY) as c:
        yield c


def post(client: TestClient, body: object) -> Any:
    headers = {"Content-Type": "application/json"}
    return client.post("/v1/evaluate", content=json.dumps(body), headers=headers)


def test_all_unknown_case_is_indeterminate_with_questions(client: TestClient) -> None:
    response = post(client, MINIMAL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["subject"] == "indeterminate"
    assert body["questions"] and all(
        q["question"] != f"What is {q['fact']}?" for q in body["questions"]
    )


def test_negative_knowledge_reaches_not_subject_over_http(client: TestClient) -> None:
    case = {
        "item": {"description": "pump", "country_of_manufacture": "non-US", "exported_from": "MY"},
        "bom": [{"description": "housing", "origin_country": "non-US"}],
        "production": {"technology_and_software": [], "plant_direct_product_of": []},
        "parties": [{"role": "end user", "name": "Hanoi Water Works"}],
        "knowledge": NO,
        "destination": "VN",
        "export_date": "2026-03-01",
    }
    response = post(client, case)
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "not subject"


def test_http_gives_the_librarys_determination(client: TestClient) -> None:
    case = {
        **MINIMAL,
        "production": {"technology_and_software": [{"on_list": "on the 734.9(e)(1) list"}]},
        "parties": [
            {
                "role": "freight forwarder",
                "name": "Huawei Technologies Co., Ltd.",
                "entity_list": {"listed": True, "footnotes": [1]},
            }
        ],
    }
    response = post(client, case)
    assert response.status_code == 200, response.text
    # every party's status is given, so screening adds nothing: byte-for-byte the library's
    expected = evaluate(Case.model_validate(case))
    assert response.json() == json.loads(expected.model_dump_json())
    assert response.json()["subject"] == "subject"  # a listed forwarder is a party, 734.9(e)(1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**MINIMAL, "item": {"description": "x", "price": "3.000,00"}}, "item.price"),
        ({**MINIMAL, "item": {"description": "x", "price": "1,5"}}, "item.price"),
        ({**MINIMAL, "item": {"description": "x", "eccn": "3A999.zz"}}, "item.eccn"),
        ({**MINIMAL, "export_date": "2026-02-30"}, "export_date"),
        ({**MINIMAL, "parties": [{"role": "broker", "name": "B"}]}, "role"),
        ({**MINIMAL, "settings": {"affiliates_after_suspension": "maybe"}}, "affiliates"),
        ({**MINIMAL, "production": {"technology_and_software": [{"on_list": "x"}]}}, "on_list"),
        ({**MINIMAL, "knowledge": {"onward_to": {"iran": "perhaps"}}}, "iran"),
        ({"item": {"description": "x"}}, "destination"),
    ],
)
def test_bad_field_is_a_422_naming_it(client: TestClient, body: object, field: str) -> None:
    response = post(client, body)
    assert response.status_code == 422, response.text
    assert field in response.text


@pytest.mark.parametrize("body", [[], 42, "case", None, {"a": [[[[[[]]]]]]}])
def test_not_a_case_is_a_422(client: TestClient, body: object) -> None:
    response = post(client, body)
    assert response.status_code == 422, response.text


def test_a_key_given_twice_is_a_422_as_in_a_case_file(client: TestClient) -> None:
    """The CLI refuses a key given twice; over HTTP the last one silently won (the case was
    decided for Germany after naming China first). Branch ear3."""
    body = '{"item": {"description": "w"}, "destination": "CN", "destination": "DE", '
    body += '"export_date": "2026-03-01"}'
    response = client.post(
        "/v1/evaluate", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "destination" in response.text and "twice" in response.text


def test_long_decimals_are_exact_over_http_as_in_a_case_file(client: TestClient) -> None:
    """A JSON number went through a float over HTTP (1000.000000000000000001 -> 1000.0) but
    stays exact from a file; the same case must get the same determination at every door.
    25 % of that price is exactly 250.00000000000000000025: one unit less is not above the
    de minimis level (15 CFR 734.4(c)), and a float would make it 25 % exactly as well."""
    price = "1000.000000000000000004"
    case = {
        **MINIMAL,
        "destination": "DE",
        "item": {"description": "w", "eccn": "EAR99", "price": Decimal(price)},
        "bom": [
            {
                "description": "FPGA",
                "origin_country": "US",
                "eccn": "3A001.a.1.a",
                "value": Decimal("250.000000000000000002"),
            }
        ],
    }
    text = json.dumps(case, default=str).replace(f'"{price}"', price)
    text = text.replace('"250.000000000000000002"', "250.000000000000000002")
    response = client.post(
        "/v1/evaluate", content=text, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    library = evaluate(Case.model_validate(parse_json(text)))
    assert response.json()["de_minimis"]["denominator"] == str(library.de_minimis.denominator)
    assert response.json()["de_minimis"]["percentage"] == str(library.de_minimis.percentage)


def test_a_utf8_bom_body_is_read(client: TestClient) -> None:
    body = "\ufeff" + json.dumps(MINIMAL)
    response = client.post(
        "/v1/evaluate", content=body.encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
