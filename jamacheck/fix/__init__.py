"""Fixes (SPEC §8): what a finding's fix changes in the source, and how --fix and --diff apply it.

A fix is a list of edits on the source text, each a span (1-based line and column, end
exclusive) and its replacement, with an applicability (safe or unsafe), as in ruff. Edits
are made on the text by position, never by writing the YAML again, so everything outside
the edited spans stays byte for byte.
"""

from __future__ import annotations

from jamacheck.fix.model import SAFE, UNSAFE, Edit, Fix

__all__ = ["SAFE", "UNSAFE", "Edit", "Fix"]
