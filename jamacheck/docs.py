"""Where a rule is documented: its README section (anchor and link), and the README's rules
part, generated from the catalogue (`jamacheck rules --markdown`; a test keeps them equal)."""

from __future__ import annotations

import os
from textwrap import dedent

from jamacheck.rules._rule import Rule

# The README's address. The project has no public home yet, so by default a URN names it
# (as the schema's `$id` does); the GitHub Action sets JAMACHECK_DOCS_URL to the README of the
# repository and commit it runs from, and anyone hosting a copy can do the same.
DOCS_URL_ENV = "JAMACHECK_DOCS_URL"
README_URN = "urn:jamacheck:readme"


def readme_url() -> str:
    return os.environ.get(DOCS_URL_ENV, "").strip() or README_URN


def anchor(rule: Rule) -> str:
    """The anchor of the rule's README heading `#### JC301 plaintext-secret` (GitHub's slug)."""
    return f"{rule.code.lower()}-{rule.name}"


def help_uri(rule: Rule) -> str:
    return f"{readme_url().split('#')[0]}#{anchor(rule)}"


def rules_markdown(rules: tuple[Rule, ...]) -> str:
    """The README's rules table, each code linking to its section, then one section per rule."""
    lines = ["| code | name | severity | fix | when |", "|---|---|---|---|---|"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.code}](#{anchor(rule)}) | {rule.name} | {rule.severity} | {rule.fixable} | {summary} |")
    for rule in rules:
        lines.extend(["", *_section(rule)])
    return "\n".join(lines) + "\n"


def _section(rule: Rule) -> list[str]:
    where = "with `--live`" if rule.live else "offline"
    return [
        f"#### {rule.code} {rule.name}", "",
        f"*{rule.severity}, {where}* — {rule.summary}", "",
        rule.what, "",
        f"Why it matters: {rule.why}", "",
        "Example:", "", "```yaml", _code(rule.example), "```", "",
        "Fix:", "", "```yaml", _code(rule.fix), "```", "",
        f"Automatic fix: {rule.fixable}" + (f" (`jamacheck check --fix{' --unsafe-fixes' if rule.fixable == 'unsafe' else ''}`)"
                                             if rule.fixable != "none" else ""),
    ]


def _code(text: str) -> str:
    return dedent(text).strip("\n")
