"""JC1xx: the file itself. Emitted by the yaml stage (yaml/compose.py, yaml/tree.py, yaml/booleans.py) and the engine."""

from jamacheck.rules._rule import Rule

YAML_SYNTAX = Rule(
    "JC100", "yaml-syntax", "error", "The file is not valid YAML.",
    what="Reports the YAML parser's problem at the line and column where the parser stopped.",
    why="A connector file that does not parse cannot be checked at all, and Interchange "
        "configuration built from it would fail or be partial.",
    example="""
        connectors:
          - name: Jama production
            url: [https://acme.jamacloud.com
        """,
    fix="""
        connectors:
          - name: Jama production
            url: https://acme.jamacloud.com
        """,
)

DUPLICATE_KEY = Rule(
    "JC101", "duplicate-key", "error", "A mapping repeats a key.",
    what="Reports the second (and every later) occurrence of a key in one mapping, naming the "
         "line of the first.",
    why="YAML loaders silently keep the last value, so the first one you read is not the one "
        "that is used: a reviewer approves one URL and Interchange gets another.",
    example="""
        - name: Jama production
          url: https://acme.jamacloud.com
          url: https://acme-sandbox.jamacloud.com
        """,
    fix="""
        - name: Jama production
          url: https://acme.jamacloud.com
        """,
)

INVALID_DOCUMENT = Rule(
    "JC102", "invalid-document", "error",
    "The file is empty, its root is not a mapping, or it holds several documents.",
    what="Reports a file with no document, a root that is a list or a scalar, or more than one "
         "non-empty YAML document (at the second `---`). Nothing else is checked in such a file.",
    why="A connector file is one mapping with a `connectors` list; anything else means the file "
        "was truncated, concatenated or is not a connector file.",
    example="""
        - name: Jama production
          application: jama-connect
        """,
    fix="""
        connectors:
          - name: Jama production
            application: jama-connect
        """,
)

UNREADABLE_FILE = Rule(
    "JC103", "unreadable-file", "error",
    "The file is not UTF-8, contains NUL, is over 1 MiB, or is too complex.",
    what="Reports files jamacheck refuses to read: bytes that are not UTF-8, NUL bytes, more than "
         "1 MiB, aliases that expand to more than 10,000 nodes, or nesting deeper than 100 levels. "
         "Nothing else is checked in such a file.",
    why="Connector files are small text files; anything else is a mistake (UTF-16 from an editor, "
        "a binary committed by accident) or hostile input (a 'billion laughs' alias bomb) that "
        "would make a linter hang in pre-commit.",
    example="""
        a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        """,
    fix="""
        # Save the file as UTF-8 and write each value out; keep aliases for small shared parts.
        """,
)

AMBIGUOUS_BOOLEAN = Rule(
    "JC104", "ambiguous-boolean", "warning",
    "A boolean field is spelled yes/no/on/off/y/n or quoted \"true\"/\"false\".",
    what="Where a boolean is expected (`verify_ssl`, `saml`), reports YAML 1.1 spellings other "
         "than true/false, in any letter case, and the quoted strings \"true\"/\"false\". The value "
         "is read as the boolean it spells, so other rules still judge it.",
    why="YAML 1.2 parsers and many tools read `no` and `\"false\"` as strings: the same file means "
        "different things to different readers. `verify_ssl: no` may be read as a truthy string.",
    example="""
        verify_ssl: no
        saml: "true"
        """,
    fix="""
        verify_ssl: false
        saml: true
        """,
    fixable="safe",
)

RULES = (YAML_SYNTAX, DUPLICATE_KEY, INVALID_DOCUMENT, UNREADABLE_FILE, AMBIGUOUS_BOOLEAN)

# JC100, JC102, JC103 mean nothing else in the file was checked: no selection, configuration,
# suppression or baseline hides them, and they are always errors (SPEC §3 "Always reported").
ALWAYS_REPORTED = frozenset(rule.code for rule in (YAML_SYNTAX, INVALID_DOCUMENT, UNREADABLE_FILE))
