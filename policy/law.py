"""One year's legal thresholds (DOMAIN R1-R14), with the legal defaults of each year.

The values that the law fixes for every year are constants; those an administrator
may correct (DOMAIN keeps unverified thresholds as settings) are fields of :class:`Law`.
:meth:`Law.problems` refuses settings that contradict themselves, so no entry point
can store them and no rule has to guess which limit wins.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

# --- fixed by the law ------------------------------------------------------------------

ADULT_AGE = 18  # R6
JUVENILE_AGE_HOURS_STEP = 16  # R6: the juvenile limit rises at 16
MIN_WORKING_AGE = 14  # R6: nobody younger works
ABLE_FITNESS = ("fit", "limited")  # R1, R3
UNRESTRICTED_FITNESS = "fit"  # R3: limited fitness bars heavy or hazardous work
DISABILITY_GROUPS_REDUCED_HOURS = (1, 2)  # R9 and R4
OUTSIDE_ANY_CONDITIONS = ("minimum",)  # R8: these regimes may always work outside
OUTSIDE_BY_CONDITIONS = "medium"  # R8: this regime may, in the conditions the settings list
NEVER_OUTSIDE = ("maximum", "extraordinary")  # R8, whatever the settings say
PRIVATE_EMPLOYER_KINDS = ("private_company", "sole_trader")  # R5
CONSENT_VOLUNTARY = "voluntary_work"  # R4
CONSENT_PRIVATE = "private_employer"  # R5
CONSENT_REMAND_REQUEST = "remand_work_request"  # R2
NEEDS_DOMAINS = ("education", "trade_and_employment", "accommodation", "finance_and_debts",
                 "substance_use", "health", "family_and_social_ties",
                 "attitudes_and_behaviour")  # R27
APPLICATION_STATES = ("received", "offered", "accepted", "declined", "withdrawn",
                      "not_eligible", "closed")  # R31

# --- choices the settings may take -----------------------------------------------------

VOLUNTARY_GROUPS = ("pension_age", "disability_1_2", "pregnant")  # R4
MEDIUM_CONDITIONS = ("strict", "ordinary", "facilitated", "preferential")  # R8
WOMEN_PENSION_AGE = {2027: Decimal("61"), 2028: Decimal("61.5"), 2029: Decimal("62"),
                     2030: Decimal("62.5")}  # Social Code; 61 before, 63 from 2031


def women_pension_age(year: int) -> Decimal:
    """R4: the women's pension age of ``year`` by the Social Code's schedule."""
    if year >= 2031:
        return Decimal("63")
    return WOMEN_PENSION_AGE.get(year, Decimal("61"))


def N_(message: str) -> str:  # noqa: N802  (marks a message for translation, as gettext_noop)
    return message


@dataclass(frozen=True)
class LawProblem:
    """A setting that contradicts another: the field, an English message with
    ``%(name)s`` placeholders (marked for translation) and its values."""

    field: str
    message: str
    values: dict[str, object]


@dataclass(frozen=True)
class Law:
    """The thresholds in force in one year. ``Law.for_year(y)`` has the legal defaults."""

    year: int = 2026
    target_rate: Decimal = Decimal("0.750")  # R1: share of the able to work employed
    min_monthly_wage: int = 85_000  # R10, tenge for full time
    full_time_hours: int = 40  # R10 pro rata base
    max_hours_adult: int = 40  # R9, also full time (never above it)
    max_hours_disabled: int = 36  # R9, disability groups I and II
    max_hours_juvenile_16: int = 36  # R6, aged 16 and 17
    max_hours_juvenile_14: int = 24  # R6, aged 14 and 15
    pension_age_men: Decimal = Decimal("63")  # R4, years
    pension_age_women: Decimal | None = None  # R4, years; None: the schedule of ``year``
    outside_medium_conditions: frozenset[str] = frozenset({"facilitated", "preferential"})
    voluntary_groups: frozenset[str] = field(default_factory=lambda: frozenset(VOLUNTARY_GROUPS))
    one_paid_placement: bool = True  # R9: one paid placement at a time
    # R27: the risk scale, lowest first (the national framework's scale is not verified)
    risk_levels: tuple[str, ...] = ("low", "medium", "high")
    risk_assessment_days: int = 30  # R27: assessed within this many days of admission
    risk_review_months: int = 12  # R27: and reviewed at this interval
    unassessed_highest_outside: bool = True  # R28: no assessment = highest level outside
    scattered_cap: int = 2  # R29: flagged persons per workplace and shift (institutions may differ)
    bans_run_in_prison: bool = True  # R30: a court's ban on an activity runs during the term
    application_answer_days: int = 10  # R31: every application answered within these days

    @classmethod
    def for_year(cls, year: int) -> "Law":
        return cls(year=year, pension_age_women=women_pension_age(year))

    def pension_age(self, female: bool, year: int) -> Decimal:
        """R4's pension age in ``year``: the setting, or for women without one the
        Social Code's schedule of that year."""
        if not female:
            return self.pension_age_men
        if self.pension_age_women is None:
            return women_pension_age(year)
        return self.pension_age_women

    def problems(self) -> list[LawProblem]:
        """Every way these settings contradict the law or themselves (empty when sound)."""
        found: list[LawProblem] = []

        def above(name: str, limit: int, message: str) -> None:
            value = getattr(self, name)
            if value > limit:
                found.append(LawProblem(name, message, {"value": value, "limit": limit}))

        adult = N_("%(value)s h is above the adult limit of %(limit)s h")
        above("max_hours_disabled", self.max_hours_adult, adult)
        above("max_hours_juvenile_16", self.max_hours_adult, adult)
        above("max_hours_juvenile_14", self.max_hours_juvenile_16,
              N_("%(value)s h is above the limit from 16 of %(limit)s h"))
        above("max_hours_adult", self.full_time_hours,
              N_("%(value)s h is above full time (%(limit)s h): the adult limit is full time "
                 "at most"))
        for name in ("risk_assessment_days", "risk_review_months", "application_answer_days"):
            if getattr(self, name) < 1:
                found.append(LawProblem(name, N_("must be at least 1"), {}))
        if self.scattered_cap < 0:
            found.append(LawProblem("scattered_cap", N_("must be 0 or more"), {}))
        if len(self.risk_levels) < 2 or len(set(self.risk_levels)) != len(self.risk_levels):
            found.append(LawProblem("risk_levels", N_("needs at least two distinct levels"), {}))
        for name in ("full_time_hours", "max_hours_adult", "max_hours_disabled",
                     "max_hours_juvenile_16", "max_hours_juvenile_14", "min_monthly_wage"):
            if getattr(self, name) < 1:
                found.append(LawProblem(name, N_("must be at least 1"), {}))
        if not Decimal(0) < self.target_rate <= Decimal(1):
            found.append(LawProblem("target_rate", N_("must be between 0 and 100%%"), {}))
        for name in ("pension_age_men", "pension_age_women"):
            age = getattr(self, name)
            if age is not None and not (Decimal(ADULT_AGE) <= age <= Decimal(100)):
                found.append(LawProblem(name, N_("must be between 18 and 100 years"), {}))
        unknown = (set(self.voluntary_groups) - set(VOLUNTARY_GROUPS)) | (
            set(self.outside_medium_conditions) - set(MEDIUM_CONDITIONS))
        if unknown:
            found.append(LawProblem("voluntary_groups" if set(self.voluntary_groups) - set(
                VOLUNTARY_GROUPS) else "outside_medium_conditions",
                N_("unknown choice: %(choices)s"), {"choices": ", ".join(sorted(unknown))}))
        return found


LAW_FIELDS = tuple(f.name for f in fields(Law))
