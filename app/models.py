"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from app.applications.models import Application
from app.auth.models import ApiToken, User
from app.core.audit import AuditEvent
from app.inmates.models import (
    Certificate,
    Consent,
    CourtBan,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    PaperScan,
    RiskAssessment,
    ScatteredFlag,
    SeparationLink,
    SeriousIncident,
)
from app.institutions.models import Institution, Region
from app.jobs.models import Job, ScheduleRun
from app.kiosk.models import ConsentWithdrawalRequest, KioskPin
from app.monitoring.models import Finding
from app.notifications.models import Notification
from app.pay.models import (
    AccountEntry,
    AttendanceMark,
    Claim,
    PayDeduction,
    PayrollConfirmation,
    PaySettings,
    Payslip,
    Timesheet,
)
from app.placements.models import (
    KeptDay,
    KeptVersion,
    MatchRun,
    Placement,
    Proposal,
    Suspension,
)
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
    "AccountEntry", "ApiToken", "Application", "AttendanceMark", "AuditEvent", "Certificate",
    "Claim", "Consent",
    "ConsentWithdrawalRequest", "Course", "CourtBan", "CustodyPeriod", "Employer", "Enrolment",
    "Finding", "Inmate", "InmateSkill", "Institution",
    "Job", "JobAnswer", "KeptDay", "KeptVersion", "KioskPin", "MatchRun", "MedicalAssessment",
    "Notification",
    "OutcomeCheck", "OutsideJob",
    "PaperScan", "PartnerOrganisation", "PayDeduction", "PaySettings", "PayrollConfirmation",
    "Payslip",
    "Placement", "PlanPart", "PlanPartChange", "Proposal", "Referral", "ReferralMessage",
    "Region", "ReintegrationSettings", "ReleasePlan", "RiskAssessment",
    "ScatteredFlag", "ScheduleRun", "SeparationLink", "SeriousIncident", "Suspension",
    "Timesheet", "Trade",
    "User", "Vacancy", "YearSettings",
]
