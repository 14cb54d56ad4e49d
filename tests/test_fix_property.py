"""Property: on generated connector files with planted fixable mistakes, --fix changes nothing
outside the planted spans, the re-check has none of the fixed codes, a second --fix is a no-op,
and --diff applied with `git apply` gives the same bytes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.fix_support import apply_with, codes_after, run_cli, write_file

FIXED_CODES = {"JC104", "JC204", "JC202", "JC403", "JC305", "JC001"}

# A file is a list of segments: ("keep", text) stays byte for byte; ("plant", text) may change
# within its line; ("plant-line", text) may change or go, with its line break.
Segment = tuple[str, str]

comments = st.sampled_from(["", "", "  # note", "   # owned by PLAT: do not touch", " #x"])
quotes = st.sampled_from(["", "'", '"'])


@st.composite
def application(draw) -> list[Segment]:
    spelling = draw(st.sampled_from(["jama-connect", "Jama-Connect", "JAMA_CONNECT", "jama_connect",
                                     "Jama Connect", "jama connect"]))
    quote = draw(quotes)
    kind = "keep" if spelling == "jama-connect" else "plant"
    return [("keep", f"    application: {quote}"), (kind, spelling), ("keep", quote + draw(comments))]


@st.composite
def url(draw, index: int) -> list[Segment]:
    quote = draw(quotes)
    if draw(st.booleans()):
        return [("keep", f"    url: {quote}"), ("plant", f"$URL_{index}"), ("keep", quote + draw(comments))]
    suffix = draw(st.sampled_from(["", "/", "/rest/v1", "/rest/v1/", "/perspective.req", "/?tab=1",
                                   "#/home", "/login.req"]))
    base = f"https://host{index}.jamacloud.com"
    parts: list[Segment] = [("keep", f"    url: {quote}{base}")]
    if suffix:
        parts.append(("plant", suffix))
    return parts + [("keep", quote + draw(comments))]


@st.composite
def verify_ssl(draw) -> list[Segment]:
    spelling = draw(st.sampled_from([None, "true", "yes", "Yes", "ON", "on", "y", '"true"', "'TRUE'",
                                     "'false'", "no", "Off"]))
    if spelling is None:
        return []
    kind = "keep" if spelling == "true" else "plant"
    return [("keep", "    verify_ssl: "), (kind, spelling), ("keep", draw(comments))]


@st.composite
def auth(draw, index: int, newline: str) -> list[Segment]:
    key = draw(st.sampled_from(["client_id", "clientid", "client_ID", "ClientId"]))
    key_part: Segment = ("keep" if key == "client_id" else "plant", key)
    secret = f'"${{SECRET_{index}}}"'
    if draw(st.booleans()):
        return [("keep", "    auth: {type: oauth, "), key_part,
                ("keep", f": interchange, client_secret: {secret}}}" + draw(comments))]
    return [("keep", f"    auth:{draw(comments)}{newline}      type: oauth{newline}      "), key_part,
            ("keep", f": interchange{draw(comments)}{newline}      client_secret: {secret}")]


@st.composite
def projects(draw, index: int) -> list[Segment]:
    if draw(st.booleans()):
        return []
    if draw(st.booleans()):
        return [("keep", "    projects: [REQ, "), ("plant", f"$PROJ_{index}"), ("keep", "]" + draw(comments))]
    return [("keep", f"    projects: [REQ, '${{PROJ_{index}}}']" + draw(comments))]


@st.composite
def own_line_comment(draw, newline: str) -> list[Segment]:
    if draw(st.booleans()):
        return []
    return [("plant-line", "    # jamacheck: disable=JC206" + newline)]


@st.composite
def connector(draw, index: int, newline: str) -> list[Segment]:
    name: list[Segment] = [("keep", f"  - name: Jama {index}")]
    if draw(st.booleans()):
        name.append(("plant", "  # jamacheck: disable=JC206"))
    else:
        name.append(("keep", draw(comments)))
    fields = [name, draw(application()), draw(url(index)), draw(verify_ssl()), draw(projects(index)),
              draw(auth(index, newline))]
    segments: list[Segment] = []
    for field in fields:
        if field:
            segments.extend(field)
            segments.append(("keep", newline))
            segments.extend(draw(own_line_comment(newline)))
    return segments


@st.composite
def connector_file(draw) -> list[Segment]:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    segments: list[Segment] = [("keep", "\ufeff" if draw(st.booleans()) else "")]
    segments.append(("keep", f"# connectors of the team{newline}connectors:{newline}"))
    for index in range(draw(st.integers(min_value=1, max_value=3))):
        segments.extend(draw(connector(index, newline)))
    while segments[-1][0] == "plant-line":  # the file ends with a connector's field
        segments.pop()
    if draw(st.booleans()):  # no final newline
        segments[-1] = ("keep", "")
    return segments


def _pattern(segments: list[Segment]) -> re.Pattern[str]:
    wildcard = {"plant": r"[^\r\n]*?", "plant-line": r"(?:[^\r\n]*?(?:\r\n|\n))??"}
    parts = [re.escape(text) if kind == "keep" else wildcard[kind] for kind, text in segments]
    return re.compile("".join(parts), re.DOTALL)


@settings(max_examples=examples(40))
@given(connector_file())
def test_fix_changes_only_the_planted_spans(segments: list[Segment]):
    original = "".join(text for _, text in segments)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        path = write_file(folder, "c.yaml", original.encode("utf-8"))
        before = set(codes_after(folder, "c.yaml"))
        planted = any(kind != "keep" for kind, _ in segments)
        assert planted == bool(before & FIXED_CODES), (before, original)

        run_cli(folder, "check", "--fix", "c.yaml")
        fixed = path.read_bytes()
        assert _pattern(segments).fullmatch(fixed.decode("utf-8")), (original, fixed)
        assert not set(codes_after(folder, "c.yaml")) & (FIXED_CODES | {"JC201"})

        run_cli(folder, "check", "--fix", "c.yaml")
        assert path.read_bytes() == fixed

        path.write_bytes(original.encode("utf-8"))  # the diff of the same fixes, applied by git
        diff = run_cli(folder, "check", "--diff", "c.yaml").stdout_bytes
        assert bool(diff) == (fixed != original.encode("utf-8"))
        if diff:
            apply_with("git", folder, diff)
        assert path.read_bytes() == fixed
