"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from app.auth.models import ApiToken, User
from app.core.audit import AuditEvent
from app.core.notifications import Notification
from app.inmates.models import (
    Certificate,
    Consent,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
)
from app.institutions.models import Institution, Region
from app.monitoring.models import Finding
from app.pay.models import (
    AccountEntry,
    Claim,
    PayDeduction,
    PayrollConfirmation,
    PaySettings,
    Payslip,
    Timesheet,
)
from app.placements.models import KeptDay, KeptVersion, MatchRun, Placement, Proposal
from app.reintegration.models import (
    JobAnswer,
    OutcomeCheck,
    OutsideJob,
    PartnerOrganisation,
    PlanPart,
    PlanPartChange,
    Referral,
    ReferralMessage,
    ReintegrationSettings,
    ReleasePlan,
)
from app.settings.models import YearSettings
from app.taxonomy.models import Trade
from app.training.models import Course, Enrolment
from app.vacancies.models import Employer, Vacancy

__all__ = [
    "AccountEntry", "ApiToken", "AuditEvent", "Certificate", "Claim", "Consent", "Course",
    "CustodyPeriod", "Employer", "Enrolment", "Finding", "Inmate", "InmateSkill", "Institution",
    "JobAnswer", "KeptDay", "KeptVersion", "MatchRun", "MedicalAssessment", "Notification",
    "OutcomeCheck", "OutsideJob",
    "PartnerOrganisation", "PayDeduction", "PaySettings", "PayrollConfirmation", "Payslip",
    "Placement", "PlanPart", "PlanPartChange", "Proposal", "Referral", "ReferralMessage",
    "Region", "ReintegrationSettings", "ReleasePlan", "SeparationLink", "Timesheet", "Trade",
    "User", "Vacancy", "YearSettings",
]
