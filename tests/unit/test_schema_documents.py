"""The committed schema documents are what the models generate, and the AsyncAPI document is sound."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from schemas.documents import asyncapi, json_schemas

GENERATED = Path(__file__).resolve().parents[2] / "schemas" / "generated"


@pytest.mark.parametrize("name", [*json_schemas(), "asyncapi"])
def test_committed_document_is_current(name: str) -> None:
    current = {**json_schemas(), "asyncapi": asyncapi()}[name]
    committed = orjson.loads((GENERATED / f"{name}.json").read_bytes())
    assert committed == current, f"schemas/generated/{name}.json is stale: run `make schema` and commit"


def test_regional_summit_schema_has_every_contract_field() -> None:
    schema = json_schemas()["regional_summit"]
    assert set(schema["required"]) >= {
        "event_id",
        "summit_key",
        "article",
        "summit",
        "participants",
        "participant_countries",
        "officials",
        "documents",
        "confidence",
        "pipeline_version",
    }
    summit = schema["$defs"]["Summit"]["properties"]
    for field in (
        "name",
        "series",
        "organization",
        "scope",
        "status",
        "ordinal",
        "start_date",
        "end_date",
        "venue",
        "chair_country",
    ):
        assert field in summit


def test_asyncapi_references_resolve() -> None:
    document = asyncapi()
    assert document["asyncapi"].startswith("3.")

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(document):
        target: object = document
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict), f"dangling $ref {ref}"
            assert part in target, f"dangling $ref {ref}"
            target = target[part]
    assert {c["address"] for c in document["channels"].values()} == {
        "news.articles.raw",
        "news.summits.enriched",
        "news.articles.raw.dlq",
        "news.summits",
    }
