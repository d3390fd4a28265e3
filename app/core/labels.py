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
    "prosecutor": _l("prosecutor"), "partner": _l("partner organisation"),
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
    # Voluntary-only groups (R4 settings)
    "pension_age": _l("pension age"), "disability_1_2": _l("disability groups I and II"),
    "pregnant": _l("pregnant women"),
    # Consent kinds
    "voluntary_work": _l("voluntary work (R4)"),
    "private_employer": _l("work for a private employer (R5)"),
    "remand_work_request": _l("remand detainee's request to work (R2)"),
    "share_with_partners": _l("sharing with partner organisations (R21)"),
    # Partner organisations
    "akimat_social": _l("akimat social department"),
    "akimat_employment": _l("akimat employment department"),
    "employment_centre": _l("employment centre"),
    "resocialisation_centre": _l("resocialisation centre"), "ngo": _l("NGO"),
    "probation": _l("probation service"),
    # Release plan part statuses (the parts' own names: app/reintegration/labels.py)
    "not_needed": _l("not needed"), "needed": _l("needed"), "in_progress": _l("in progress"),
    "arranged": _l("arranged"), "not_arranged": _l("could not be arranged"),
    # Referrals ("accepted", "closed" above)
    "sent": _l("sent"), "declined": _l("declined"),
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
    # Audit entries
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"),
    "Vacancy": _l("Vacancy"), "Placement": _l("Placement"), "Inmate": _l("Inmate"),
    "Consent": _l("Consent"), "Employer": _l("Employer"), "Course": _l("Course"),
    "Enrolment": _l("Enrolment"), "YearSettings": _l("Settings"), "Finding": _l("Finding"),
    "InmateSkill": _l("Skill"), "Certificate": _l("Certificate"),
    "MedicalAssessment": _l("Medical assessment"), "SeparationLink": _l("Separation"),
    # Parts of a proposal's score (matching/scoring.py PARTS)
    "skill": _l("skills"), "certificate": _l("certificates"), "wish": _l("trade wish"),
    "recent_training": _l("recent training"), "release_time": _l("time before release"),
    "wage": _l("wage"),
    # Work and pay (app/pay): timesheet statuses, absences, writs, account entries
    "submitted": _l("submitted"), "superseded": _l("superseded by a correction"),
    "sick": _l("sick"), "rest_day": _l("rest day"), "not_required": _l("not required"),
    "lockdown": _l("lockdown or security"), "training": _l("training"),
    "court_or_visit": _l("court or visit"), "other": _l("other"),
    "excused": _l("absent, excused"), "civil_claim": _l("civil claim for damages"),
    "alimony": _l("alimony"), "other_writ": _l("other writ"), "pay": _l("pay credited"),
    "deduction": _l("deduction paid"), "family_transfer": _l("transfer to family"),
    "purchase": _l("purchase"), "release_payout": _l("paid out at release"),
    "reversal": _l("reversal"), "income_tax": _l("income tax"), "rate": _l("rate"),
    "claims": _l("writs, oldest first"), "Timesheet": _l("Timesheet"), "Claim": _l("Writ"),
    "AccountEntry": _l("Account entry"), "PaySettings": _l("Pay settings"),
    "PayrollConfirmation": _l("Payroll confirmation"),
}


def label(value: object) -> str:
    """The translated label of an enumeration value (or of its string)."""
    if value is None:
        return "—"
    key = value.value if isinstance(value, StrEnum) else str(value)
    return str(LABELS.get(key, key.replace("_", " ")))


def choices_for(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, LABELS.get(member.value, member.value)) for member in enum_cls]


# The engine (matching/, no Babel) explains in English by rule code; pages translate by code.
RULE_REASONS = {
    "R2": _l("remand detainee is never proposed"),
    "R3": _l("medically unfit, fitness review expired, or limited fitness for heavy work"),
    "R4": _l("voluntary-only group (pension age, disability I/II, pregnancy) without consent"),
    "R5": _l("private employer without the inmate's recorded consent"),
    "R6": _l("under 18: juvenile institution only, no heavy work, hours limit by age"),
    "R7": _l("vacancy is barred to women"),
    "R8": _l("regime may not work outside the perimeter"),
    "R9": _l("weekly hours over the limit, or already in a paid placement"),
    "R10": _l("wage below the minimum (pro rata)"),
    "R11": _l("vacancy has no free position or has ended"),
    "R12": _l("required certificate missing, or required skill missing and not trainable "
              "on the job"),
    "R13": _l("vacancy starts after the release date"),
    "R14": _l("kept apart from an inmate placed on the same site and shift"),
}


def rule_reason(rule: str, engine_text: str = "") -> str:
    """The translated reason of a rule the engine names, else the engine's own text."""
    return str(RULE_REASONS[rule]) if rule in RULE_REASONS else engine_text
