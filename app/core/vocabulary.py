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
