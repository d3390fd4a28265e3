"""The rules an inmate's record must satisfy, one function per rule.

Each takes the record's values (a mapping of field -> deserialised value) and
raises ``RuleViolation`` naming the field. The marshmallow schema (API, forms,
spreadsheet import) and the update operation all call ``inmate_problems``,
so a rule is written once and enforced everywhere the data enters.
"""

from collections.abc import Callable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import Conflict, RuleViolation
from app.core.plausible import refuse
from app.core.vocabulary import InstitutionKind, LegalStatus, Role, Sex
from policy import plausible, rules
from policy.clock import today_in_kazakhstan
from policy.ops import PYTHON

# R6: under 18 only in juvenile colonies; remand centres may hold juveniles before trial.
JUVENILE_INSTITUTIONS = frozenset({InstitutionKind.JUVENILE_COLONY, InstitutionKind.REMAND_CENTRE})

Values = Mapping[str, Any]


def check_not_in_future(field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        raise RuleViolation(field, _("cannot be in the future"))


def check_dates_in_order(values: Values, today: date) -> None:
    """Born before admitted; admitted on or before the expected release."""
    birth, admission = values.get("birth_date"), values.get("admission_date")
    release = values.get("release_date")
    check_not_in_future("birth_date", birth, today)
    check_not_in_future("admission_date", admission, today)
    if birth and admission:
        refuse("birth_date", plausible.birth_day(birth, admission))
    if admission and release and release < admission:
        raise RuleViolation("release_date", _("cannot be before the admission date"))


def check_conviction(values: Values, today: date) -> None:
    """R2: a convicted inmate has the date the sentence took effect; a remand detainee none."""
    status, convicted_on = values.get("legal_status"), values.get("convicted_on")
    if status == LegalStatus.CONVICTED and convicted_on is None:
        raise RuleViolation("convicted_on", _("is required when the legal status is convicted"),
                            rule="R2")
    if status == LegalStatus.REMAND and convicted_on is not None:
        raise RuleViolation("convicted_on", _("must be empty for a remand detainee"), rule="R2")
    check_not_in_future("convicted_on", convicted_on, today)
    birth = values.get("birth_date")
    if convicted_on and birth and convicted_on <= birth:
        raise RuleViolation("convicted_on", _("must be after the birth date"))


def check_pregnancy(values: Values, today: date) -> None:
    """R4: pregnancy is recorded for women only."""
    if values.get("pregnant") and values.get("sex") != Sex.FEMALE:
        raise RuleViolation("pregnant", _("can only be recorded for a woman"), rule="R4")


def check_review_after_assessment(assessed_on: date | None, review_date: date | None,
                                  field: str = "fitness_review_date") -> None:
    """R3: a fitness review date comes after the assessment it reviews."""
    if assessed_on and review_date and review_date < assessed_on:
        raise RuleViolation(field, _("cannot be before the date of the medical assessment"),
                            rule="R3")


def check_fitness_review(values: Values, today: date) -> None:
    assessed_on = values.get("fitness_assessed_on") or values.get("admission_date")
    check_not_in_future("fitness_assessed_on", values.get("fitness_assessed_on"), today)
    check_review_after_assessment(assessed_on, values.get("fitness_review_date"))


INMATE_RULES: list[Callable[[Values, date], None]] = [
    check_dates_in_order, check_conviction, check_pregnancy, check_fitness_review,
]


def inmate_problems(values: Values, today: date | None = None) -> dict[str, list[str]]:
    """Every rule's complaint about ``values``, by field (empty when all pass)."""
    today = today or today_in_kazakhstan()
    problems: dict[str, list[str]] = {}
    for rule in INMATE_RULES:
        try:
            rule(values, today)
        except RuleViolation as violation:
            problems.setdefault(violation.field, []).append(violation.message)
    return problems


def check_r6_juvenile_institution(birth_date: date, kind: InstitutionKind, today: date) -> None:
    """R6: a person under 18 is held in a juvenile institution only."""
    if rules.juvenile(PYTHON, SimpleNamespace(birth=birth_date), today) and (
            kind not in JUVENILE_INSTITUTIONS):
        raise RuleViolation("birth_date", _("a person under 18 may be held only in a juvenile "
                                            "institution"), rule="R6")


def check_r15_file_number_free(file_number: str, taken: bool) -> None:
    """R15: a personal file number is unique within the institution."""
    if taken:
        raise Conflict("file_number", _("the personal file number %(number)s is already used "
                                        "in this institution", number=file_number), rule="R15")


# --- R29: who may see the scattered model's flag ----------------------------------------------

FLAG_READERS = (Role.OFFICER, Role.PROSECUTOR)  # never administrators, employers, partners
RESTRICTED_ENTITY = "ScatteredFlag"  # its audit entries (changes and views) are as restricted
RESTRICTED_RULES = frozenset({"R29"})  # a reason naming it tells of the flag


def may_see_flag(user: Any = None) -> bool:
    """R29: only the institution's officers and prosecutors (the caller has already
    found the person in their scope)."""
    user = user or current_user
    return user.is_authenticated and user.role in FLAG_READERS


def without_restricted(barred: list[Any], user: Any = None) -> list[Any]:
    """The rules that barred a person, less R29's for a reader who may not see the flag
    (an administrator): that the cap barred someone says they are flagged."""
    if may_see_flag(user):
        return barred
    return [b for b in barred if not (isinstance(b, dict) and b.get("rule") in RESTRICTED_RULES)]
