"""JC001: suppression comments that silence nothing. Emitted by jamacheck/suppressions.py."""

from jamacheck.rules._rule import Rule

UNUSED_SUPPRESSION = Rule(
    "JC001", "unused-suppression", "warning",
    "A suppression comment silences nothing, or names no code.",
    what="Reports, at the comment's `#`, each code of a `# jamacheck: disable=…` or "
         "`disable-file=…` comment that silenced no finding in this run, an unknown code, and a "
         "comment with no code at all. Codes that did not run (live codes without --live, codes "
         "removed by --select/--ignore) are not reported.",
    why="Stale suppressions hide the next real problem on that line; blanket suppressions hide "
        "every problem.",
    example="""
          verify_ssl: true  # jamacheck: disable=JC303
        """,
    fix="""
          verify_ssl: true
        """,
)

RULES = (UNUSED_SUPPRESSION,)
