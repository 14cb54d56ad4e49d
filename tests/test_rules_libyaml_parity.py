"""The verdict on a file does not depend on libyaml (SPEC §3.1).

The whole fixture corpus is checked twice, in one process each: once as installed (PyYAML
with its C loader, when it has one) and once with libyaml hidden, so PyYAML falls back to its
pure-Python loader. Both runs must report the same findings, message for message.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from tests.conftest import CASES, ROOT

# Hides PyYAML's C extension before yaml is imported: PyYAML then has no CSafeLoader.
WITHOUT_LIBYAML = (
    "import sys; sys.modules['yaml._yaml'] = None; sys.modules['_yaml'] = None\n"
    "import yaml; assert not yaml.__with_libyaml__ and not hasattr(yaml, 'CSafeLoader')\n"
    "from jamacheck.cli import main; sys.argv[0] = 'jamacheck'; main()\n"
)
WITH_LIBYAML = "import sys; from jamacheck.cli import main; sys.argv[0] = 'jamacheck'; main()\n"

# Valid YAML whose tabs once split the two loaders, and broken YAML around tabs.
EXTRA = {
    "tab-before-comment.yaml": "connectors:\n  - name: x\t# comment\n",
    "tab-after-colon.yaml": "connectors:\n  - name:\tx\n",
    "tab-after-key.yaml": "connectors:\n  - name\t: x\n",
    "tab-in-value.yaml": "connectors:\n  - name: a\tb\n",
    "tab-trailing.yaml": "connectors:\n  - name: x\t\n",
    "tab-in-flow.yaml": "connectors: [{name:\tx,\tapplication: jira}]\n",
    "tab-after-dash.yaml": "connectors:\n  -\tname: x\n",
    "tab-indent.yaml": "connectors:\n\t- name: x\n",
    "tab-indent-key.yaml": "connectors:\n  - name: x\n\turl: y\n",
    "tab-only-line.yaml": "connectors:\n  - name: x\n\t\n    url: y\n",
    "tab-comment-line.yaml": "connectors:\n  - name: x\n\t# comment\n    url: y\n",
    "tab-continuation.yaml": "connectors:\n  - name: a\n     \tb\n",
    "tab-in-quotes.yaml": "connectors:\n  - name: \"a\tb\"\n    url: 'c\td'\n",
    "tab-block-scalar.yaml": "connectors:\n  - name: |\n      a\tb\n",
    "unclosed-double.yaml": "connectors:\n  - name: \"Jama\n    url: x\n",
    "unclosed-single.yaml": "connectors:\n  - name: 'Jama\n",
    "unclosed-flow.yaml": "connectors: [a, b\n",
    "bad-indent.yaml": "connectors:\n  - name: x\n   url: y\n",
    "colon-in-plain.yaml": "connectors:\n  - name: a: b\n",
    "control-char.yaml": "connectors:\n  - name: a\x07b\n",
    "bom-inside.yaml": "connectors:\n  - name: a\ufeffb\n",
    "directive-12.yaml": "%YAML 1.2\n---\nconnectors: []\n",
    "directive-20.yaml": "%YAML 2.0\n---\nconnectors: []\n",
    "unknown-tag.yaml": "connectors: !!python/object:os.system []\n",
    "surrogate-escape.yaml": '{"connectors": [{"name": "\\ud800\\udc00"}]}\n',
    "escape-past-unicode.yaml": 'connectors: [{name: "\\U00110000"}]\n',
    "tab-after-tag.yaml": "connectors:\n  - name: !!str\tJama\n",
    "block-header-comment.yaml": "connectors:\n  - name: >-# folded\n      Jama\n",
    "bom-on-a-later-line.yaml": "connectors:\n\ufeff  - name: x\n",
    "query-in-flow.yaml": "connectors: [{name: q, url: https://acme.example/x?a=1}]\n",
    "tab-in-yaml-directive.yaml": "%YAML\t1.1\t# c\n---\nconnectors: []\n",
    "tab-in-tag-directive.yaml": "%TAG\t!e!\ttag:e,2000:\t# c\n---\nconnectors: []\n",
    "tab-in-unknown-directive.yaml": "%FOO\tbar\n---\nconnectors: []\n",
}


def run(code: str, paths: list[str]) -> dict[str, list[tuple]]:
    result = subprocess.run([sys.executable, "-c", code, "check", "--format", "json", *paths],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    by_file: dict[str, list[tuple]] = {path: [] for path in report["files"]}
    for f in report["findings"]:
        by_file.setdefault(f["path"], []).append((f["line"], f["column"], f["code"], f["message"]))
    return by_file


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml: nothing to compare")
def test_corpus_gives_the_same_findings_with_and_without_libyaml(tmp_path):
    for name, text in EXTRA.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(path) for path in sorted(CASES.glob("*.yaml"))]
    paths += [str(path) for path in sorted((ROOT / "examples").rglob("*.yaml"))]
    paths += [str(tmp_path / name) for name in EXTRA]
    with_c, pure = run(WITH_LIBYAML, paths), run(WITHOUT_LIBYAML, paths)
    assert set(with_c) == set(pure)
    differences = {path: {"libyaml": with_c[path], "pure": pure[path]}
                   for path in with_c if sorted(with_c[path]) != sorted(pure[path])}
    assert differences == {}


def test_tabs_within_a_line_are_separation_not_an_error(tmp_path):
    """Tabs between tokens are valid YAML; only tabs as indentation are JC100."""
    valid = [name for name in EXTRA if name.split(".")[0] in {
        "tab-before-comment", "tab-after-colon", "tab-after-key", "tab-in-value", "tab-trailing",
        "tab-in-flow", "tab-in-quotes", "tab-block-scalar"}]
    for name in EXTRA:
        (tmp_path / name).write_text(EXTRA[name], encoding="utf-8")
    for code in (WITH_LIBYAML, WITHOUT_LIBYAML):
        findings = run(code, [str(tmp_path / name) for name in valid])
        assert all("JC100" not in {f[2] for f in found} for found in findings.values()), findings


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml: nothing to compare")
def test_reference_parser_reads_tabs_as_libyaml_does():
    """Tabs (and BOMs) inserted anywhere in the corpus: wherever libyaml reads the text, the
    reference parser reads the same events at the same places (a seeded, repeatable sample)."""
    import random

    from jamacheck.yaml.parsers import PURE_PARSER

    def events(text: str, loader: type) -> list[tuple] | None:
        ends = (yaml.DocumentEndEvent, yaml.StreamEndEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent)
        try:
            return [(type(e).__name__, getattr(e, "value", None), e.start_mark.line, e.start_mark.column)
                    + ((e.end_mark.line, e.end_mark.column) if isinstance(e, yaml.ScalarEvent) else ())
                    for e in yaml.parse(text, Loader=loader) if not isinstance(e, ends)]
        except yaml.YAMLError:
            return None

    texts = [path.read_text("utf-8") for path in sorted(CASES.glob("*.yaml")) if "\0" not in path.read_text("utf-8")]
    chance = random.Random(12)
    compared = 0
    for _ in range(400):
        text = chance.choice(texts)
        for _ in range(chance.randint(1, 3)):
            at = chance.randrange(len(text) + 1)
            text = text[:at] + chance.choice(["\t", "\t ", " \t", "\t#x", "\ufeff"]) + text[at:]
        fast = events(text, yaml.CSafeLoader)
        if fast is not None:
            compared += 1
            assert events(text, PURE_PARSER) == fast, repr(text)
    assert compared > 50
