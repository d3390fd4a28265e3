"""Human, translated labels for the values of the domain's enumerations.

Templates show ``{{ value|label }}`` and forms build choices with
``choices_for(EnumClass)``, so stored values ("private_company") never reach
the user untranslated.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

LABELS = {
    # Role
    "admin": _l("administrator"), "officer": _l("labour officer"), "employer": _l("employer"),
    "prosecutor": _l("prosecutor"),
    # InstitutionKind
    "colony": _l("colony"), "prison": _l("prison"), "juvenile_colony": _l("juvenile colony"),
    "colony_settlement": _l("colony-settlement"), "remand_centre": _l("remand centre"),
    # Regime (juvenile also)
    "minimum": _l("minimum"), "medium": _l("medium"), "maximum": _l("maximum"),
    "extraordinary": _l("extraordinary"), "juvenile": _l("juvenile"),
    # Conditions
    "strict": _l("strict"), "ordinary": _l("ordinary"), "facilitated": _l("facilitated"),
    "preferential": _l("preferential"),
    # Sex, legal status, fitness
    "male": _l("male"), "female": _l("female"), "convicted": _l("convicted"),
    "remand": _l("remand (pre-trial)"), "fit": _l("fit"), "limited": _l("fit with limits"),
    "unfit": _l("unfit"),
    # Custody status
    "held": _l("held"), "released": _l("released"), "transferred": _l("transferred"),
    # Skill source
    "declared": _l("declared"), "assessed": _l("assessed"), "course": _l("course"),
    "work": _l("work"),
    # Consent kinds
    "voluntary_work": _l("voluntary work (R4)"),
    "private_employer": _l("work for a private employer (R5)"),
    "remand_work_request": _l("remand detainee's request to work (R2)"),
    # Employer kinds and statuses
    "state_enterprise": _l("state enterprise"), "private_company": _l("private company"),
    "sole_trader": _l("sole trader"), "institution": _l("institution's own services"),
    "pending": _l("pending"), "approved": _l("approved"), "refused": _l("refused"),
    # Vacancies
    "inside": _l("inside the perimeter"), "outside": _l("outside the perimeter"),
    "day": _l("day"), "evening": _l("evening"), "night": _l("night"),
    "draft": _l("draft"), "published": _l("published"), "paused": _l("paused"),
    "closed": _l("closed"),
    # Placement end reasons ("released", "transferred" above)
    "completed": _l("completed"), "dismissed": _l("dismissed"), "health": _l("health"),
    "security": _l("security"), "consent_withdrawn": _l("consent withdrawn"),
    "vacancy_closed": _l("vacancy closed"),
    # Enrolments, proposals, findings
    "enrolled": _l("enrolled"), "dropped": _l("dropped"), "accepted": _l("accepted"),
    "rejected": _l("rejected"), "open": _l("open"), "resolved": _l("resolved"),
    # Parts of a proposal's score (matching/scoring.py PARTS)
    "skill": _l("skills"), "certificate": _l("certificates"), "wish": _l("trade wish"),
    "recent_training": _l("recent training"), "release_time": _l("time before release"),
    "wage": _l("wage"),
}


def label(value: object) -> str:
    """The translated label of an enumeration value (or of its string)."""
    if value is None:
        return "—"
    key = value.value if isinstance(value, StrEnum) else str(value)
    return str(LABELS.get(key, key.replace("_", " ")))


def choices_for(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, LABELS.get(member.value, member.value)) for member in enum_cls]
