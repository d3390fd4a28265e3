"""The words of the domain (DOMAIN.md, "Words") as enumerations.

Stored as strings (``native_enum=False``) so SQLite and PostgreSQL agree and a
new value needs no ALTER TYPE.
"""

from enum import StrEnum

import sqlalchemy as sa

from policy import law


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    EMPLOYER = "employer"
    PROSECUTOR = "prosecutor"
    PARTNER = "partner"  # a partner organisation's user (R21)


class InstitutionKind(StrEnum):
    COLONY = "colony"
    PRISON = "prison"
    JUVENILE_COLONY = "juvenile_colony"
    COLONY_SETTLEMENT = "colony_settlement"
    REMAND_CENTRE = "remand_centre"


class Regime(StrEnum):
    MINIMUM = "minimum"
    MEDIUM = "medium"
    MAXIMUM = "maximum"
    EXTRAORDINARY = "extraordinary"
    JUVENILE = "juvenile"


class Conditions(StrEnum):
    STRICT = "strict"
    ORDINARY = "ordinary"
    FACILITATED = "facilitated"
    PREFERENTIAL = "preferential"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class LegalStatus(StrEnum):
    CONVICTED = "convicted"
    REMAND = "remand"


class Fitness(StrEnum):
    FIT = "fit"
    LIMITED = "limited"
    UNFIT = "unfit"


class CustodyStatus(StrEnum):
    HELD = "held"
    RELEASED = "released"
    TRANSFERRED = "transferred"


class SkillSource(StrEnum):
    DECLARED = "declared"
    ASSESSED = "assessed"
    COURSE = "course"
    WORK = "work"


class ConsentKind(StrEnum):
    VOLUNTARY_WORK = "voluntary_work"  # R4: pension age, disability I/II, pregnancy
    PRIVATE_EMPLOYER = "private_employer"  # R5
    REMAND_WORK_REQUEST = "remand_work_request"  # R2: a remand detainee's own request
    SHARE_WITH_PARTNERS = "share_with_partners"  # R21: data shared with referred partners


class EmployerKind(StrEnum):
    STATE_ENTERPRISE = "state_enterprise"
    PRIVATE_COMPANY = "private_company"
    SOLE_TRADER = "sole_trader"
    INSTITUTION = "institution"


PRIVATE_EMPLOYER_KINDS = frozenset(EmployerKind(kind) for kind in law.PRIVATE_EMPLOYER_KINDS)  # R5


class EmployerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Site(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"


class RiskReason(StrEnum):
    """Why a risk-and-needs assessment was made (R27)."""

    ADMISSION = "admission"
    REVIEW = "review"
    INCIDENT = "incident"


class Shift(StrEnum):
    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"


class VacancyStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"
    CLOSED = "closed"


class EndReason(StrEnum):
    COMPLETED = "completed"
    RELEASED = "released"
    TRANSFERRED = "transferred"
    DISMISSED = "dismissed"
    HEALTH = "health"
    SECURITY = "security"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    VACANCY_CLOSED = "vacancy_closed"


class SuspensionReason(StrEnum):
    """Why a placement is suspended for a while without being ended (app/placements/
    suspensions.py): the person keeps the place and comes back to it."""

    SICKNESS = "sickness"
    DISCIPLINARY = "disciplinary_cell"
    COURT_VISIT = "court_visit"
    OTHER = "other"


# A placement's end date is the first day without work (the day it no longer holds):
# the last day worked is the day before (``policy.rules.active_on``, half-open). Every
# API field of a placement's end date says so with these words.
PLACEMENT_END_DATE = ("The first day without work: the placement is no longer active on "
                      "this day; the last day worked is the day before. Null: not ended.")


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    DROPPED = "dropped"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class FindingStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class FindingKind(StrEnum):
    """The prosecutor's act a finding records (Law on the Prosecutor's Office: acts of
    prosecutorial supervision)."""

    ACT_OF_RESPONSE = "act_of_response"  # представление / ұсыну
    WARNING = "warning"  # предостережение / ескерту
    PROTEST = "protest"  # протест / наразылық
    OTHER = "other"


class OrderKind(StrEnum):
    """A printed order of a placement: made when it starts, and when it ends."""

    PLACEMENT = "placement"
    REMOVAL = "removal"


class PartnerKind(StrEnum):
    AKIMAT_SOCIAL = "akimat_social"
    AKIMAT_EMPLOYMENT = "akimat_employment"
    EMPLOYMENT_CENTRE = "employment_centre"
    RESOCIALISATION_CENTRE = "resocialisation_centre"
    NGO = "ngo"
    PROBATION = "probation"


class PlanPartKind(StrEnum):
    """The parts of a release plan (R20), in the order the plan shows them."""

    JOB = "job"
    ACCOMMODATION = "accommodation"
    DOCUMENTS = "documents"
    MEDICAL = "medical"
    BENEFITS = "benefits"
    FAMILY = "family"
    PSYCHOLOGICAL = "psychological"
    CERTIFICATE = "certificate"
    TRAVEL = "travel"  # art. 167(1): free travel with food or money for the journey
    CLOTHING = "clothing"  # art. 167(2): clothing and footwear for the season
    # R27: only when the risk-and-needs assessment records the need
    SUBSTANCE_USE = "substance_use_treatment"
    DEBTS = "debts"


class PartStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    IN_PROGRESS = "in_progress"
    ARRANGED = "arranged"
    NOT_ARRANGED = "not_arranged"  # could not be arranged, with a reason
    DECLINED = "declined"  # the person declined it, in their own words: decided, not missing


# A part in one of these states is decided; a plan whose parts all are is complete.
DECIDED_PART_STATUSES = frozenset({PartStatus.NOT_NEEDED, PartStatus.ARRANGED,
                                   PartStatus.NOT_ARRANGED, PartStatus.DECLINED})


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"


class Situation(StrEnum):
    """What an outcome check after release may find (R23); several may hold."""

    HOUSED = "housed"
    EMPLOYED = "employed"
    IN_TRAINING = "in_training"
    BENEFITS = "benefits"
    RETURNED_TO_CUSTODY = "returned_to_custody"
    LOST_CONTACT = "lost_contact"


OUTCOME_MONTHS = (1, 3, 6, 12)


class MailChoice(StrEnum):
    """How a user wants the inbox's notifications by e-mail (the account page)."""

    IMMEDIATELY = "immediately"  # one e-mail per notification, once the change is committed
    DAILY_DIGEST = "daily_digest"  # one e-mail a day listing the unread ones
    NO_EMAIL = "no_email"  # the inbox only


def enum_column(enum_cls: type[StrEnum]) -> sa.Enum:
    """A string-backed enum column type, checked by a CHECK constraint."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )
