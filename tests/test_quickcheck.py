"""The fast validity check never says "valid" where jsonschema says "invalid" (and agrees overall)."""

from __future__ import annotations

import json

import jsonschema
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jamacheck import schema
from jamacheck.schema import quickcheck
from tests.conftest import CASES, ROOT, examples

VALIDATOR = jsonschema.Draft202012Validator(schema.schema())

leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
                 st.sampled_from(["", " ", "x", "${A}", "https://a.example", "http://", "jama-connect", "jira",
                                  "basic", "oauth", "token", "cloud", "data-center", "REQ", 1.0, True, 1]))
keys = st.sampled_from(["name", "application", "url", "verify_ssl", "saml", "auth", "type", "username", "password",
                        "client_id", "client_secret", "token", "projects", "admin_groups", "deployment", "x"])
value = st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(keys, inner, max_size=6)), max_leaves=12)
good_auth = st.sampled_from([{"type": "basic", "username": "u", "password": "${P}"},
                             {"type": "oauth", "client_id": "c", "client_secret": "${S}"},
                             {"type": "token", "token": "${T}"}, {"type": "oauth"}])
connector = st.fixed_dictionaries(
    {"name": st.sampled_from(["n", "", 1]), "application": st.sampled_from(["jama-connect", "jira", "x"]),
     "url": st.sampled_from(["https://a.example", "ftp://x", "${U}"]), "auth": good_auth},
    optional={"verify_ssl": st.sampled_from([True, False, "no", None]), "saml": st.booleans(),
              "deployment": st.sampled_from(["cloud", "data-center", "dc"]),
              "projects": st.lists(st.sampled_from(["P", 3, 1.5, True, ""]), max_size=3),
              "admin_groups": st.lists(st.sampled_from(["G", ""]), max_size=2), "extra": value})
documents = st.one_of(
    st.fixed_dictionaries({"connectors": st.lists(connector, max_size=3)},
                          optional={"version": st.sampled_from([1, 1.0, True, "1", 2])}),
    st.dictionaries(st.sampled_from(["connectors", "version", "x"]), value, max_size=3),
)


@settings(max_examples=examples(200))
@given(documents)
def test_same_verdict_as_jsonschema(document):
    assert quickcheck.is_valid(schema.schema(), document) == VALIDATOR.is_valid(document)


def test_same_verdict_on_every_fixture_and_example():
    files = [*CASES.glob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")]
    checked = 0
    for path in files:
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        assert quickcheck.is_valid(schema.schema(), data) == VALIDATOR.is_valid(data), path
        checked += 1
    assert checked > 25


def test_unknown_keywords_defer_to_jsonschema():
    assert quickcheck.is_valid({"minLength": 3}, "abc") is False
    assert quickcheck.is_valid({"type": "string"}, "abc") is True
    assert json.loads(json.dumps(schema.schema())) == schema.schema()
