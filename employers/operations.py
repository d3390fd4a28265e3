"""The entrepreneurs' portal: registration and approval of a business, its users,
its home page and its workers (R15, R16).

An employer sees only its own vacancies and, of the workers placed in them, the name,
the vacancy, the start date and the hours (R16): the queries below select exactly those
columns, so nothing else about an inmate can reach a page or an API response.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.auth.operations import check_email_free, check_password_rule, create_user
from app.core.audit import AuditEvent
from app.core.errors import Conflict, RuleViolation, check_all
from app.core.identifiers import bin_iin_problem
from app.core.models import utcnow
from app.core.vocabulary import (
    PRIVATE_EMPLOYER_KINDS,
    EmployerKind,
    EmployerStatus,
    EndReason,
    Role,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import Inmate
from app.notifications.operations import latest, notify, path_for, shown, users_of_employer
from app.placements.models import Placement, placement_open_on
from app.placements.staffing import filled_count
from app.vacancies.models import Employer, Vacancy
from policy.clock import today_in_kazakhstan

# --- registration and approval ------------------------------------------------------


def check_bin_iin(value: str, kind: EmployerKind) -> str:
    """R15: a valid 12-digit BIN (company) or IIN (sole trader), not registered yet."""
    value = value.strip()
    problem = bin_iin_problem(value)
    if problem:
        label = _("IIN") if kind == EmployerKind.SOLE_TRADER else _("BIN")
        raise RuleViolation("bin_iin", _("%(number)s %(problem)s", number=label,
                                              problem=_(problem)), rule="R15")
    if db.session.scalar(sa.select(Employer.id).where(Employer.bin_iin == value)):
        raise RuleViolation("bin_iin", _("a business with this number is already registered"))
    return value


def check_self_registered(kind: EmployerKind) -> None:
    if kind not in PRIVATE_EMPLOYER_KINDS:
        raise RuleViolation("kind", _("only private companies and sole traders register "
                                      "themselves; administrators add the others"))


def register_employer(
    *, kind: EmployerKind, bin_iin: str, name: str, address: str, contact_person: str,
    phone: str, email: str, password: str,
) -> tuple[Employer, User]:
    """A business registers itself: pending, with its first user, who may log in only
    once an administrator approved the business."""
    bin_iin, *_checked = check_all(  # every problem at once, not in rounds
        lambda: check_bin_iin(bin_iin, kind), lambda: check_self_registered(kind),
        lambda: check_email_free(email), lambda: check_password_rule(password, email))
    employer = Employer(kind=kind, bin_iin=bin_iin, name=name.strip(),
                        address=address.strip(), contact_person=contact_person.strip(),
                        phone=phone.strip(), email=email.strip().lower(),
                        status=EmployerStatus.PENDING)
    db.session.add(employer)
    db.session.flush()
    user = create_user(email=email, full_name=contact_person, password=password,
                       role=Role.EMPLOYER, employer_id=employer.id)
    _notify_employer(employer, "business_registered")
    return employer, user


def create_employer(
    *, kind: EmployerKind, name: str, bin_iin: str | None = None,
    institution_id: int | None = None, address: str = "", contact_person: str = "",
    phone: str = "", email: str = "",
) -> Employer:
    """For administrators: a state enterprise, an institution's own services (or any
    business), approved at once. An institution's services need ``institution_id``;
    every other kind needs a BIN/IIN (R15)."""
    if kind == EmployerKind.INSTITUTION and institution_id is None:
        raise RuleViolation("institution_id", _("is required for an institution's services"))
    if bin_iin or kind != EmployerKind.INSTITUTION:
        bin_iin = check_bin_iin(bin_iin or "", kind)
    employer = Employer(
        kind=kind, name=name.strip(), bin_iin=bin_iin or None, address=address,
        contact_person=contact_person, phone=phone, email=email.strip().lower(),
        institution_id=institution_id if kind == EmployerKind.INSTITUTION else None,
        status=EmployerStatus.APPROVED, decided_at=utcnow(),
    )
    db.session.add(employer)
    db.session.flush()
    return employer


def approve_employer(employer: Employer, *, decided_by: User) -> None:
    """Open a pending (or earlier refused) business; its users may log in from now on."""
    if employer.status == EmployerStatus.APPROVED:
        raise Conflict("status", _("the business is already approved"))
    _decide(employer, EmployerStatus.APPROVED, decided_by, "")
    _notify_employer(employer, "business_approved")


def refuse_employer(employer: Employer, *, decided_by: User, reason: str) -> None:
    """Refuse a pending business with a reason, which its contact is told."""
    if employer.status != EmployerStatus.PENDING:
        raise Conflict("status", _("only a pending business can be refused"))
    if not reason.strip():
        raise RuleViolation("reason", _("give the reason for the refusal"))
    _decide(employer, EmployerStatus.REFUSED, decided_by, reason.strip())
    _notify_employer(employer, "business_refused", reason=reason.strip())


def _decide(employer: Employer, status: EmployerStatus, admin: User, reason: str) -> None:
    if admin.role != Role.ADMIN:
        raise RuleViolation("decided_by", _("only an administrator decides on a business"))
    employer.status = status
    employer.refusal_reason = reason
    employer.decided_at = utcnow()
    employer.decided_by_id = admin.id
    db.session.flush()


def _notify_employer(employer: Employer, kind: str, **params: str) -> None:
    """Tell each user of the business (in the inbox, and by e-mail as each chose)."""
    notify(users_of_employer(employer.id), kind, {"name": employer.name, **params},
           link=path_for("employers.home"))


def add_colleague(employer: Employer, *, email: str, full_name: str, password: str) -> User:
    """An approved business adds another user of its own."""
    if not employer.is_approved:
        raise RuleViolation("employer", _("the business is not approved yet"))
    return create_user(email=email, full_name=full_name, password=password,
                       role=Role.EMPLOYER, employer_id=employer.id)


# --- what the business sees --------------------------------------------------------


@dataclass(frozen=True)
class Worker:
    """A worker as the business sees them: nothing more (R16)."""

    name: str
    vacancy_id: int
    vacancy_title: str
    start_date: date
    weekly_hours: int


@dataclass(frozen=True)
class OfficerChange:
    """A change an institution made to a placement in the business's vacancies."""

    occurred_at: datetime
    vacancy_id: int
    vacancy_title: str
    worker_name: str
    action: str  # started / ended / changed
    end_reason: str | None  # only a reason on SHOWN_END_REASONS, else None


# Why a placement ended may be told to the business only when the reason says nothing
# about the worker (R16): health, security, consent withdrawn, dismissal, release or
# transfer are facts of the person, so the business reads "ended by the institution".
SHOWN_END_REASONS = frozenset({EndReason.COMPLETED.value, EndReason.VACANCY_CLOSED.value})


def _worker_name() -> sa.ColumnElement[str]:
    return sa.func.trim(Inmate.last_name + " " + Inmate.first_name + " " + Inmate.middle_name)


def current_workers(employer_id: int, on: date | None = None) -> list[Worker]:
    """Workers placed in the business's vacancies and not ended by ``on``."""
    on = on or today_in_kazakhstan()
    rows = db.session.execute(
        sa.select(_worker_name(), Vacancy.id, Vacancy.title, Placement.start_date,
                  Placement.weekly_hours)
        .join(Inmate, Inmate.id == Placement.inmate_id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Vacancy.employer_id == employer_id,
               placement_open_on(on))
        .order_by(Vacancy.title, Placement.start_date, _worker_name())
    )
    return [Worker(*row) for row in rows]


def open_vacancies(employer_id: int, on: date | None = None) -> list[tuple[Vacancy, int]]:
    """Published vacancies of the business with their filled positions."""
    vacancies = list(db.session.scalars(
        sa.select(Vacancy).where(Vacancy.employer_id == employer_id,
                                 Vacancy.status == VacancyStatus.PUBLISHED)
        .order_by(Vacancy.start_date, Vacancy.title)))
    filled = filled_count([v.id for v in vacancies], on or today_in_kazakhstan())
    return [(v, filled.get(v.id, 0)) for v in vacancies]


def officer_changes(employer_id: int, limit: int = 20) -> list[OfficerChange]:
    """Recent audited changes, by users outside the business (officers; not data loads
    from the command line), to placements in its vacancies; only the facts a business
    may see (R16), never the audit's raw values."""
    own_users = sa.select(User.id).where(User.employer_id == employer_id)
    rows = db.session.execute(
        sa.select(AuditEvent.occurred_at, Vacancy.id, Vacancy.title, _worker_name(),
                  AuditEvent.action, AuditEvent.after)
        .join(Placement, AuditEvent.entity_id == sa.cast(Placement.id, sa.String))
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .join(Inmate, Inmate.id == Placement.inmate_id)
        .where(AuditEvent.entity_type == "Placement", Vacancy.employer_id == employer_id,
               AuditEvent.actor_id.is_not(None), AuditEvent.actor_id.not_in(own_users))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [OfficerChange(at, vacancy_id, title, name, *_describe(action, after or {}))
            for at, vacancy_id, title, name, action, after in rows]


def _describe(action: str, after: dict) -> tuple[str, str | None]:
    if action == "create":
        return "started", None
    reason = after.get("end_reason")
    if reason:
        return "ended", reason if reason in SHOWN_END_REASONS else None
    return "changed", None


def notifications(user_id: int, limit: int = 20) -> list[dict]:
    """The user's latest notifications, as the inbox shows them."""
    return [shown(note) for note in latest(user_id, limit)]
