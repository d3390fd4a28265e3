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
    # Kinds of findings (the prosecutor's act; "other" below) and of placement orders
    "act_of_response": _l("act of response (submission)"), "warning": _l("warning"),
    "protest": _l("protest"), "placement": _l("Placement order"),
    "removal": _l("Removal order"), "PlacementOrder": _l("Placement order"),
    # Applications (R31): states ("accepted", "declined", "closed" above), channels,
    # answers, what was asked
    "received": _l("received"), "offered": _l("offered"), "withdrawn": _l("withdrawn"),
    "not_eligible": _l("not eligible"), "paper": _l("on paper"), "kiosk": _l("at a kiosk"),
    "waiting": _l("on the waiting list"), "outscored": _l("others fitted better"),
    "vacancy": _l("vacancy"), "trade": _l("trade"),
    "Application": _l("Application"),
    # Yes and no (stored true/false)
    "yes": _l("yes"), "no": _l("no"),
    # Audit entries
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"),
    "view": _l("viewed"),  # a read of restricted data: the flag (R29), a paper's scan
    "Vacancy": _l("Vacancy"), "Placement": _l("Placement"), "Inmate": _l("Inmate"),
    "Consent": _l("Consent"), "Employer": _l("Employer"), "Course": _l("Course"),
    "Enrolment": _l("Enrolment"), "YearSettings": _l("Settings"), "Finding": _l("Finding"),
    "InmateSkill": _l("Skill"), "Certificate": _l("Certificate"),
    "MedicalAssessment": _l("Medical assessment"), "SeparationLink": _l("Separation"),
    "CustodyPeriod": _l("Custody period"), "system": _l("system"),
    # The kiosk (app/kiosk)
    "KioskPin": _l("Kiosk PIN"),
    "ConsentWithdrawalRequest": _l("Request to withdraw a consent"),
    # Parts of a proposal's score (matching/scoring.py PARTS)
    "skill": _l("skills"), "certificate": _l("certificates"), "wish": _l("trade wish"),
    "recent_training": _l("recent training"), "release_time": _l("time before release"),
    "wage": _l("wage"),
    # Work and pay (app/pay): timesheet statuses, absences, writs, account entries
    "submitted": _l("submitted"), "superseded": _l("superseded by a correction"),
    "sick": _l("sick"), "rest_day": _l("rest day"), "not_required": _l("not required"),
    "lockdown": _l("lockdown or security"), "training": _l("training"),
    "court_or_visit": _l("court or visit"), "other": _l("other"),
    "disciplinary": _l("disciplinary cell"),
    # Suspensions of a placement and a workshop's allocation history (app/placements)
    "sickness": _l("sickness"), "disciplinary_cell": _l("disciplinary cell"),
    "court_visit": _l("court visit"), "started": _l("started"), "ended": _l("ended"),
    "suspended": _l("suspended"), "resumed": _l("back at work"),
    "Suspension": _l("Suspension"), "AttendanceMark": _l("Attendance mark"),
    "excused": _l("absent, excused"), "civil_claim": _l("civil claim for damages"),
    "alimony": _l("alimony"), "other_writ": _l("other writ"), "pay": _l("pay credited"),
    "deduction": _l("deduction paid"), "family_transfer": _l("transfer to family"),
    "purchase": _l("purchase"), "release_payout": _l("paid out at release"),
    "reversal": _l("reversal"), "overpayment": _l("overpaid pay, owed back"),
    "income_tax": _l("income tax"), "rate": _l("rate"),
    "social_contributions": _l("social contributions"), "upkeep": _l("reimbursement of upkeep"),
    "claims": _l("writs, oldest first"), "Timesheet": _l("Timesheet"), "Claim": _l("Writ"),
    "AccountEntry": _l("Account entry"), "PaySettings": _l("Pay settings"),
    "PayrollConfirmation": _l("Payroll confirmation"),
    # the audit log's record types of release and reintegration
    "ReleasePlan": _l("Release plan"), "PlanPart": _l("Release plan part"),
    "Referral": _l("Referral"), "OutcomeCheck": _l("Outcome after release"),
    "OutsideJob": _l("Job outside"), "JobAnswer": _l("Answer to a job outside"),
    "PartnerOrganisation": _l("Partner organisation"),
    "ReintegrationSettings": _l("Release and partner settings"),
    # R27-R30: why an assessment was made, the domains of needs, the records
    "admission": _l("on admission"), "review": _l("periodic review"),
    "incident": _l("after a serious incident"),
    "education": _l("education"), "trade_and_employment": _l("trade and employment"),
    "accommodation": _l("accommodation"), "finance_and_debts": _l("finance and debts"),
    "substance_use": _l("substance use"),
    "family_and_social_ties": _l("family and social ties"),
    "attitudes_and_behaviour": _l("attitudes and behaviour"),
    "RiskAssessment": _l("Risk-and-needs assessment"),
    "SeriousIncident": _l("Serious incident"),
    "ScatteredFlag": _l("Scattered model flag"), "CourtBan": _l("Court ban"),
    "PaperScan": _l("Scan of a paper"),
    # MailChoice (the account page)
    "immediately": _l("an e-mail for each notification"),
    "daily_digest": _l("one e-mail a day with the unread notifications"),
    "no_email": _l("no e-mail: the inbox only"),
}


def label(value: object) -> str:
    """The translated label of an enumeration value (or of its string)."""
    if value is None:
        return "—"
    key = value.value if isinstance(value, StrEnum) else str(value)
    return str(LABELS.get(key, key.replace("_", " ")))


# R27: the default risk scale's names; a scale an administrator types is shown as typed.
RISK_LEVEL_LABELS = {"low": _l("low risk"), "medium": _l("medium risk"),
                     "high": _l("high risk")}


def risk_label(level: str | None) -> str:
    """A risk level's name as the reader reads it (R27, R28)."""
    if level is None:
        return "—"
    return str(RISK_LEVEL_LABELS.get(level, level))


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
    "R28": _l("risk level above the highest the vacancy may take"),
    "R29": _l("the workplace and shift already has as many flagged persons as allowed"),
    "R30": _l("a court's ban covers the vacancy's trade"),
}


def rule_reason(rule: str, engine_text: str = "") -> str:
    """The translated reason of a rule the engine names, else the engine's own text."""
    return str(RULE_REASONS[rule]) if rule in RULE_REASONS else engine_text


# Names of stored fields as the user reads them (audit entries, error lists of the
# JSON-shaped 422 page); a name missing here is shown with its underscores as spaces.
FIELD_LABELS = {
    # an application (app/applications, R31)
    "received_on": _l("Received on"), "channel": _l("How it came"), "scan_name": _l("Scan"),
    "scan_filename": _l("Scan file"), "state": _l("State"),
    "state_changed_on": _l("State since"), "answer_kind": _l("Answer"),
    "answer_params": _l("Answer details"), "answer_text": _l("Answer text"),
    "answer_language": _l("Answer language"), "answered_at": _l("Answered at"),
    "answered_by_run_id": _l("Answered by match run"),
    "waiting_of": _l("On the waiting list of"),
    # a referral's interview (app/reintegration)
    "interview_on": _l("Date and time"), "interview_place": _l("Place"),
    "interview_with": _l("Who meets the person"),
    "interview_escort": _l("Who accompanies the person"),
    # a release plan's part: the person's own agreement (app/reintegration)
    "agreement": _l("The person's agreement"),
    "agreement_reason": _l("Why the person declined"),
    # an institution's answer to a finding (app/monitoring)
    "scan": _l("Scan of the signed answer"),
    # the scan of a consent's or a medical assessment's paper (app/inmates/papers.py)
    "filename": _l("File name"), "content_type": _l("File type"), "size": _l("Size, bytes"),
    "data": _l("File contents"), "uploaded_at": _l("Uploaded at"),
    "uploaded_by_id": _l("Uploaded by"), "assessment_id": _l("Medical assessment"),
    "where": _l("Page or API address"),
    "active": _l("Active"), "address": _l("Address"), "admission_date": _l("Admission date"),
    "as_of": _l("For the day"), "assessed_on": _l("Assessed on"), "bin_iin": _l("BIN/IIN"),
    "birth_date": _l("Birth date"), "code": _l("Code"), "completed_on": _l("Completed on"),
    "conditions": _l("Conditions"), "contact_person": _l("Contact person"),
    "convicted_on": _l("Convicted on"), "course_id": _l("Course"),
    "description": _l("Description"), "disability_group": _l("Disability group"),
    "document_ref": _l("Document reference"), "education": _l("Education"),
    "email": _l("E-mail"), "employer_id": _l("Employer"), "end_date": _l("End date"),
    "end_note": _l("Note"), "end_reason": _l("End reason"), "ended_on": _l("End date"),
    "enrolled_on": _l("Enrolled on"), "file_number": _l("Personal file number"),
    "first_name": _l("First name"), "fitness": _l("Medical fitness"),
    "fitness_review_date": _l("Fitness review date"), "full_name": _l("Full name"),
    "full_time_hours": _l("Full-time hours a week (R10)"), "given_on": _l("Given on"),
    "grants_certificate": _l("Grants a certificate"), "grants_level": _l("Skill level granted"),
    "heavy_or_hazardous": _l("Heavy or hazardous work"), "hours": _l("Hours"),
    "inmate_id": _l("Inmate"), "inmate_a_id": _l("Inmate"), "inmate_b_id": _l("Kept apart from"),
    "institution_id": _l("Institution"), "institution_ids": _l("Institutions"),
    "isco_code": _l("ISCO-08 unit group"), "issued_on": _l("Issued on"), "issuer": _l("Issuer"),
    "kind": _l("Kind"), "language": _l("Language"), "last_name": _l("Last name"),
    "left_on": _l("Released on"), "legal_status": _l("Legal status"), "level": _l("Level"),
    "max_hours_adult": _l("Maximum hours a week, adult (R9)"),
    "max_hours_disabled": _l("Maximum hours a week, disability groups I–II (R9)"),
    "max_hours_juvenile_14": _l("Maximum hours a week, age 14–15 (R6)"),
    "max_hours_juvenile_16": _l("Maximum hours a week, age 16–17 (R6)"),
    "middle_name": _l("Middle name"), "min_monthly_wage": _l("Minimum monthly wage, tenge (R10)"),
    "monthly_wage": _l("Monthly wage, tenge"), "name": _l("Name"), "name_en": _l("Name (English)"),
    "name_kk": _l("Name (Kazakh)"), "name_ru": _l("Name (Russian)"),
    "needs_long_stay": _l("Prefers workers with a long time before release"),
    "notes": _l("Notes"), "number": _l("Number"),
    "outside_medium_conditions": _l("Medium-regime conditions allowed outside (R8)"),
    "paid": _l("paid"), "password": _l("Password"),
    "pension_age_men": _l("Pension age, men (R4)"),
    "pension_age_women": _l("Pension age, women (R4)"), "phone": _l("Phone"),
    "placement_id": _l("Placement"), "positions": _l("Positions"), "pregnant": _l("Pregnant"),
    "provider": _l("Provider"), "reason": _l("Reason"), "recorded_on": _l("Recorded"),
    "refusal_reason": _l("Reason for the refusal"), "regime": _l("Regime"),
    "region_id": _l("Region"), "rejection_reason": _l("Reason for rejecting"),
    "release_date": _l("Expected release date"), "review_date": _l("Review date"),
    "role": _l("Role"), "rule": _l("Rule"), "seats": _l("Seats"), "sex": _l("Sex"),
    "shift": _l("Shift"), "site": _l("Site"), "source": _l("Source"),
    "start_date": _l("Start date"), "started_on": _l("Start date"), "status": _l("Status"),
    "target_rate": _l("Target employment rate (0–1)"), "text": _l("Text"), "title": _l("Title"),
    "trade_id": _l("Trade"), "trainable_on_job": _l("Required skills can be learnt on the job"),
    "voluntary_groups": _l("Voluntary-only groups (R4)"), "weekly_hours": _l("Weekly hours"),
    "weight_certificate": _l("Weight: certificate match"),
    "weight_recent_training": _l("Weight: recent training"),
    "weight_release_time": _l("Weight: time before release"),
    "weight_skill": _l("Weight: skill match"), "weight_wage": _l("Weight: wage"),
    "weight_wish": _l("Weight: trade wish"), "withdrawn_on": _l("Withdrawn on"),
    "women_barred": _l("barred to women"), "year": _l("Year"),
    "id": _l("Id"), "created_at": _l("Created"), "created_on": _l("Since"),
    "updated_at": _l("Last changed"),
    "created_by_id": _l("Created by"), "author_id": _l("Author"), "run_id": _l("Match run"),
    "proposal_id": _l("Proposal"), "decided_at": _l("Decided"), "decided_by_id": _l("Decided by"),
    "resolved_at": _l("Resolved"), "score": _l("Score"), "vacancy_id": _l("Vacancy"),
    "started_by_id": _l("Started by"), "user_id": _l("User"), "day": _l("Day"),
    "start": _l("From"), "end": _l("To"), "page": _l("Page"), "q": _l("Name or file number"),
    "_schema": _l("Whole form"),
    # release and reintegration, accounts
    "released_on": _l("Released on"),
    "opened_on": _l("Opened on"),
    "opened_automatically": _l("Opened automatically"),
    "destination_locality": _l("Destination locality"),
    "destination_region_id": _l("Destination region"),
    "complete_at_release": _l("Plan complete at release"),
    "housing_at_release": _l("Accommodation arranged at release"),
    "job_at_release": _l("Job arranged at release"),
    "open_parts_at_release": _l("Open parts at release"),
    "due_on": _l("Due date"),
    "note": _l("Note"),
    "owner_partner_id": _l("Partner in charge"),
    "plan_id": _l("Release plan"),
    "position": _l("Order"),
    "part_id": _l("Plan part"),
    "access_until": _l("Access until"),
    "answered_on": _l("Answered on"),
    "arranged": _l("What was arranged"),
    "closed_on": _l("Closed on"),
    "consent_id": _l("Consent"),
    "decline_reason": _l("Reason for declining"),
    "partner_id": _l("Partner organisation"),
    "referred_by_id": _l("Referred by"),
    "sent_on": _l("Sent on"),
    "referral_id": _l("Referral"),
    "benefits": _l("Receiving benefits"),
    "checked_on": _l("Checked on"),
    "employed": _l("Employed"),
    "housed": _l("Housed"),
    "in_training": _l("In training"),
    "lost_contact": _l("Contact lost"),
    "months": _l("Months after release"),
    "recorded_by_partner_id": _l("Recorded by partner"),
    "returned_to_custody": _l("Returned to custody"),
    "certificate_required": _l("Certificate required"),
    "locality": _l("Locality"),
    "open": _l("Open to people leaving prison"),
    "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Contact phone"),
    "partner_access_months": _l("Partner access after the referral closes, months"),
    "plan_months_before_release": _l("Release plan opens, months before release"),
    "answer": _l("Answer"),
    "job_id": _l("Job"),
    "result": _l("Result"),
    "session_version": _l("Session version"),
    "last_login_at": _l("Last login"),
    "recorded_at": _l("Entered"), "release_recorded_at": _l("Release entered"),
    "version": _l("Version"), "correction_reason": _l("Reason for the correction"),
    "superseded_at": _l("Replaced by a correction"),
    # the day's attendance (app/pay/attendance.py)
    "present": _l("Present"), "absence": _l("Absence"), "marks": _l("Marks"),
    "marked_by_id": _l("Marked by"), "marked_at": _l("Marked at"),
    "on": _l("Back at work on"),
}


def field_label(name: object) -> str:
    """The translated name of a stored field (``birth_date`` → "Birth date")."""
    key = str(name)
    return str(FIELD_LABELS.get(key, key.replace("_", " ")))


def value_label(value: object) -> str:
    """A stored value as the user reads it: enumeration codes and yes/no translated."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(LABELS["yes"] if value else LABELS["no"])
    if isinstance(value, str) and value in LABELS:
        return str(LABELS[value])
    return str(value)
