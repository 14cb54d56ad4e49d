"""JC001, JC002: suppression comments that silence nothing or give no reason.

Emitted by jamacheck/suppressions.py.
"""

from jamacheck.rules._rule import Rule

UNUSED_SUPPRESSION = Rule(
    "JC001", "unused-suppression", "warning",
    "A suppression comment silences nothing, or names no code.",
    what="Reports, at the comment's `#`, each code of a `# jamacheck: disable=…` or "
         "`disable-file=…` comment that silenced no finding in this run, an unknown code, and a "
         "comment with no code at all. Codes that did not run (live codes without --live, codes "
         "removed by --select/--ignore) are not reported, nor are the cross-file codes (JC401, "
         "JC402) when not every connector file was seen: a run over a few files without `paths` "
         "in the configuration (as pre-commit runs) cannot know what they serve in other files.",
    why="Stale suppressions hide the next real problem on that line; blanket suppressions hide "
        "every problem.",
    example="""
          verify_ssl: true  # jamacheck: disable=JC303
        """,
    fix="""
          verify_ssl: true
        """,
    fixable="safe",
)

SUPPRESSION_WITHOUT_REASON = Rule(
    "JC002", "suppression-without-reason", "warning",
    "A suppression comment gives no reason (only with `require-reason = true`).",
    what="With `require-reason = true` in the configuration, reports at the comment's `#` each "
         "`# jamacheck: disable=…` or `disable-file=…` comment that names codes but no reason. A "
         "reason is free text after ` -- ` or after a second `#`; it is never read as codes.",
    why="A suppression is a decision (an internal CA, a separate service account per team). "
        "Teams that audit their connectors want the decision written where it is made, so the "
        "next reader knows whether it still holds.",
    example="""
          verify_ssl: false  # jamacheck: disable=JC303
        """,
    fix="""
          verify_ssl: false  # jamacheck: disable=JC303 -- internal CA, ticket PLAT-1519
        """,
)

RULES = (UNUSED_SUPPRESSION, SUPPRESSION_WITHOUT_REASON)
