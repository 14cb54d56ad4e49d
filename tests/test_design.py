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
