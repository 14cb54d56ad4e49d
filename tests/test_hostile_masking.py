"""Issue 9, offline masking: every secret of the run is masked in every format (SPEC §2.2, §6).

Each case plants a canary where the issue found a leak; the canary must appear in no output
of any format, with and without the source snippet. Every case must also produce at least one
finding on the line that holds the canary (otherwise the test would prove nothing).
"""

from __future__ import annotations

import json

import pytest

from jamacheck.report import FORMATS
from tests.conftest import invoke

C = "Zq9CANARYxw"  # distinctive: no piece of it occurs in any message or rule text

HEAD = """\
connectors:
  - name: Canary
    application: jama-connect
    url: https://acme.jamacloud.com
"""

CASES = {
    # secret-named keys other than the three known ones (JC202 + JC301, quoted in the snippet)
    "passwd": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: ${{P}}\n      passwd: {C}\n",
    "secret": HEAD + f"    secret: {C}\n    auth: {{type: basic, username: u, password: \"${{P}}\"}}\n",
    "clientSecret": HEAD + f"    auth:\n      type: oauth\n      client_id: i\n      client_secret: ${{S}}\n"
                           f"      clientSecret: {C}\n",
    "x-key": f"x-credentials:\n  password: {C}\n" + HEAD
             + "    auth: {type: basic, username: u, password: \"${P}\"}\n    verify_ssl: no\n",
    # any shape under a secret-named key
    "list": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: [{C}]\n",
    "mapping": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: {{a: {C}}}\n",
    "block-list": HEAD + f"    auth:\n      type: basic\n      username: u\n      password:\n        - {C}\n",
    "nested-token": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: ${{P}}\n"
                           f"      extra:\n        apiKey: {C}\n",
    # tags, anchors and aliases written as the value are part of it
    "tag": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: !{C} hunter2\n",
    "alias-undefined": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: *{C}\n",
    "anchor": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: &{C} hunter2\n"
                     f"    projects: [*{C}]\n",
    # a flow mapping that glued key and value: one key (JC202 + JC301, whole key masked)
    "glued": HEAD + f"    auth: {{type: basic, username: u, password:{C}}}\n",
    # ` #` inside a password: YAML reads the rest as a comment, the author meant a password
    "hash": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: abc #{C}\n",
    # multi-line secrets: the block scalar's end mark lies on the next line
    "multi-line": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: |\n        {C}a\n"
                         f"        {C}b\n      passwd: ${{X}}\n",
    "folded-then-key": HEAD + f"    auth:\n      type: basic\n      password: >\n        {C}\n      usernam: u\n",
    # secret-like query parameters (percent-decoded, split into words), quoted values
    "os_password": HEAD.replace("acme.jamacloud.com", f"acme.jamacloud.com/?os_password={C}")
                   + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "percent-token": HEAD.replace("acme.jamacloud.com", f"acme.jamacloud.com/?t%6Fken={C}")
                     + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "sessionKey": HEAD.replace("acme.jamacloud.com", f"acme.jamacloud.com/?sessionKey={C}")
                  + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "quoted-query": HEAD.replace("https://acme.jamacloud.com", f"'https://acme.jamacloud.com/?token=\"{C}\"'")
                    + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    # user info holding @, / or a blank
    "userinfo-at": HEAD.replace("https://", f"https://svc@corp:{C}@")
                   + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "userinfo-slash": HEAD.replace("https://", f"https://svc:a/{C}@")
                      + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "userinfo-blank": HEAD.replace("https://", f"'https://svc:a {C}@").replace(".com\n", ".com'\n")
                      + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    # a password in a comment (JC306), also at the end of a line that has another finding
    "comment": HEAD + f"    # password: {C}\n    auth: {{type: basic, username: u, password: \"${{P}}\"}}\n",
    "comment-eol": HEAD.replace(".com\n", f".com  # token={C}\n").replace("https", "http")
                   + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    # a file that does not parse: the text after any secret-named key on its line
    "broken-passwd": HEAD + f"    auth: [unclosed\n      db_password: {C}\n",
    "broken-glued": f"connectors:\n  - name: \"x\n    auth: {{clientSecret:{C}}}\n",
    # a quoted key that spells its name with escapes, in a file that does not parse
    "broken-escaped-key": f"connectors:\n  - name: \"x\n    \"pass\\x77ord\": {C}\n",
    "broken-escaped-key-u": f"connectors:\n  - {{\"pass\\u0077ord\": {C}, [\n",
    # run-wide: a secret of one place quoted elsewhere (a name equal to a password)
    "run-wide": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: {C}\n"
                       f"  - name: {C}\n    application: jama-connect\n    url: https://b.jamacloud.com\n"
                       "    auth: {type: basic, username: u, password: \"${P}\"}\n    verify_ssl: no\n",
    # found from outside (review of issue 9): an anchor or a ` #` that YAML reads as the whole value
    "anchor-only": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: &{C}\n",
    "hash-only": HEAD + f"    auth:\n      type: basic\n      username: u\n      password: #{C}\n",
    # a token in the fragment (OAuth implicit flow), user info after `//` or two backslashes without `://`
    "fragment-token": HEAD.replace(".com\n", f".com/#access_token={C}\n")
                      + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "userinfo-no-scheme": HEAD.replace("https://", f"//u:{C}@")
                          + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "userinfo-backslashes": HEAD.replace("https://", f"https:\\\\u:{C}@")
                            + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    # a `#` or `?` in a password written as user info (`svc:ab#cd@host` reads as user info, not a fragment)
    "userinfo-hash": HEAD.replace("https://", f"'https://svc:ab#{C}@").replace(".com\n", ".com'\n")
                     + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    "userinfo-question-mark": HEAD.replace("https://", f"https://svc:{C}?x@")
                              + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
    # a suppression comment's reason is a comment like any other
    "suppression-reason": HEAD + "    auth: {type: basic, username: u, password: \"${P}\"}\n"
                          + f"    verify_ssl: no  # jamacheck: disable=JC303 -- token={C}\n",
    # the cut comes after masking: a long secret near the 60-character cut of a JC207 message
    "cut-url": HEAD.replace("https://acme.jamacloud.com", "x" * 40 + f"?token={C}{C}")
               + "    auth: {type: basic, username: u, password: \"${P}\"}\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_canary_in_any_format(case, write, tmp_path):
    path = write(f"{case}.yaml", CASES[case])
    outputs = {}
    for output_format in FORMATS:
        for snippet in ("--show-source", "--no-show-source"):
            result = invoke("check", "--format", output_format, snippet, path)
            assert result.exit_code in (0, 1), (output_format, result.output)
            outputs[output_format, snippet] = result.output
    for key, text in outputs.items():
        assert C[:6] not in text, f"{case}: canary piece in {key}:\n{text}"
        assert C[-6:] not in text, f"{case}: canary piece in {key}:\n{text}"
    lines = [n for n, line in enumerate(CASES[case].splitlines(), 1) if C in line]
    reported = {f["line"] for f in json.loads(outputs["json", "--no-show-source"])["findings"]}
    near = set(range(min(lines) - 2, max(lines) + 1))  # a multi-line value: its key's line
    assert reported & near or case in ("run-wide", "anchor", "x-key"), f"{case}: no finding near {lines}"


@pytest.mark.parametrize("case", ["passwd", "secret", "clientSecret", "glued", "nested-token"])
def test_secret_named_keys_are_jc301(case, write):
    """A literal under any secret-named key is JC301 (besides JC202 when the key is unknown)."""
    path = write(f"{case}.yaml", CASES[case])
    codes = [f["code"] for f in json.loads(invoke("check", "--format", "json", path).output)["findings"]]
    assert "JC301" in codes, codes


def test_reference_is_shown_not_masked(write):
    """A well-formed ${NAME} is a reference, not a secret: it is shown (SPEC §6)."""
    path = write("ref.yaml", HEAD + "    auth:\n      type: basic\n      username: u\n      password: ${JAMA_PW}\n"
                 "      passwd: ${JAMA_PW}\n")
    result = invoke("check", "--show-source", path)
    assert "passwd: ${JAMA_PW}" in result.output


def test_short_secret_masked_only_where_it_stands(write):
    """A secret shorter than 4 characters hides only where it stands, not every `ab` of the run."""
    path = write("short.yaml", HEAD + "    labels: ab-tab\n    auth:\n      type: basic\n"
                 "      username: u\n      password: ab\n")
    result = invoke("check", "--show-source", path)
    assert "password: ****" in result.output
    assert "labels: ab-tab" in result.output


def test_masking_does_not_hide_the_word_basic(write):
    """Members of a mapping whose own key is not secret-named are not run-wide secrets."""
    path = write("x.yaml", "x-credentials: {type: basic, password: hunter22}\n" + HEAD
                 + "    auth: {type: basic, username: u, password: \"${P}\", extra: 1}\n")
    result = invoke("check", "--show-source", path)
    assert "type: basic" in result.output
    assert "hunter22" not in result.output



@pytest.mark.parametrize("quote", ["'", '"'])
def test_quoted_url_user_info_with_a_blank_is_masked_in_a_file_that_does_not_parse(write, quote):
    path = write("c.yaml", "connectors:\n  - name: x\n    application: jama-connect\n    url: [unclosed\n"
                 f"    url: {quote}https://u:a bZqCanary9@acme.jamacloud.com{quote}\n")
    for output_format in FORMATS:
        result = invoke("check", "--format", output_format, "--show-source", str(path))
        assert result.exit_code == 1, result.output
        assert "JC100" in result.output and "bZqCanary9" not in result.output


def test_a_secret_that_is_also_an_example_in_the_rules_help_is_masked_in_sarif(write):
    path = write("c.yaml", "connectors:\n  - name: x\n    application: jama-connect\n"
                 "    url: https://h.jamacloud.com\n    auth: {type: basic, username: svc, password: hunter2}\n")
    result = invoke("check", "--format", "sarif", str(path))
    assert result.exit_code == 1
    assert "hunter2" not in result.output
