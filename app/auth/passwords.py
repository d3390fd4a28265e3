"""The password rule, in one place: registration, colleagues, users created by an
administrator or the CLI, a change of one's own password and a reset all use it.

Refused: shorter than ``MIN_LENGTH`` once blanks at the ends are dropped (so
whitespace-only too), fewer than ``MIN_DISTINCT`` different characters, a plain
run such as ``1234567890`` or ``abcdefghij``, one of the common passwords listed in
``common_passwords.txt`` (also with digits or symbols added at the end, as in
``password123!``), and a password containing the account's e-mail name.
"""

from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

MIN_LENGTH = 10
MIN_DISTINCT = 5
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """Every character one after the other (``abcdef``, ``9876``, ``aaaa``)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def _is_common(text: str) -> bool:
    lowered = text.lower()
    stem = lowered.rstrip("0123456789!@#$%^&*()-_=+.?,;: ")
    return lowered in common_passwords() or stem in common_passwords() or _is_run(stem)


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why ``password`` may not be used (translated), or None."""
    core = password.strip()
    if len(core) < MIN_LENGTH:
        return ngettext("must be at least %(num)d character long, not counting blanks at "
                        "the ends", "must be at least %(num)d characters long, not counting "
                        "blanks at the ends", MIN_LENGTH)
    if len(set(core)) < MIN_DISTINCT or _is_run(core):
        return _("is too simple: use more different characters")
    if _is_common(core):
        return _("is one of the most common passwords; choose another")
    name = (email or "").split("@", 1)[0].lower()
    if len(name) >= 4 and name in core.lower():
        return _("must not contain your e-mail address")
    return None
