"""Design rules the code keeps (issue 10): checked here so they stay true as the code grows."""

from __future__ import annotations

import ast
import re
from collections import Counter

from tests.conftest import ROOT

PACKAGE = ROOT / "jamacheck"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_FUNCTION_LINES = 50


def _parsed():
    for path in MODULES:
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_no_rule_code_as_a_bare_string_outside_the_rules_package():
    code = re.compile(r"JC\d{3}")
    offenders = []
    for path, tree in _parsed():
        if path.parent.name == "rules":
            continue
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and code.fullmatch(node.value)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert offenders == [], "emit through the rule object instead:\n" + "\n".join(offenders)


def test_no_two_modules_share_a_file_name():
    names = Counter(path.name for path in MODULES if path.name != "__init__.py")
    assert [name for name, count in names.items() if count > 1] == []


def test_no_function_is_longer_than_fifty_lines():
    long = [f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path, tree in _parsed() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def test_the_package_holds_no_test_server():
    servers = [str(path.relative_to(ROOT)) for path in MODULES
               if re.search(r"\b(HTTPServer|BaseHTTPRequestHandler|socketserver|trustme)\b",
                            path.read_text(encoding="utf-8"))]
    assert servers == []


def test_auth_fields_and_secret_keys_are_written_once():
    """Which credentials each auth type takes lives in the schema (``schema.auth_fields()``,
    ``schema.auth_keys()``); which of them are secrets in ``yaml/source.py``'s SECRET_KEYS. No
    other module spells a list of them (the live vetting once kept its own copy of both)."""
    fields = {"username", "password", "client_id", "client_secret", "token"}
    field_names = {"username", "client_id", "client_secret"}  # not also word parts of secret names
    spelled = []
    for path, tree in _parsed():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
                values = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if len(values & fields) >= 2 and values & field_names:
                    spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert spelled == ["jamacheck/yaml/source.py:20"]


def test_the_auth_keys_come_from_the_schema_in_its_order():
    from jamacheck import schema

    assert schema.auth_keys() == ("type", "username", "password", "client_id", "client_secret", "token")
    assert schema.auth_fields()["jama-connect"] == {"basic": ("username", "password"),
                                                    "oauth": ("client_id", "client_secret")}
    assert schema.auth_fields()["jira"] == {"basic": ("username", "password"), "token": ("token",)}


def test_the_readme_layout_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("### Layout"):readme.index("### Adding a rule")]
    named = set(re.findall(r"`([\w/]+\.py)`", layout))
    missing = [str(path.relative_to(PACKAGE)) for path in MODULES
               if path.relative_to(PACKAGE).as_posix() not in named]
    assert missing == [], "add a line to README's Development > Layout for each"
    stale = sorted(name for name in named if not (PACKAGE / name).is_file())
    assert stale == []


def test_no_module_level_name_that_nothing_uses():
    """Dead code: a module-level function, class or constant that no module of the package
    names (click commands, registered by their decorators, are exempt). A name used anywhere,
    by any module, counts as used: this finds only what nothing refers to at all."""
    trees = dict(_parsed())
    used: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.alias):
                used.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
                used.add(node.value)  # importlib / getattr by name
    dead = []
    for path, tree in trees.items():
        for node in tree.body:
            names: list[str] = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.decorator_list:
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            dead += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in names
                     if not name.startswith("__") and name not in used]
    assert dead == []
