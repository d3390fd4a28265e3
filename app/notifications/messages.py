"""The kinds of notification: a subject and a body per kind, as message ids the
catalogues translate, and how their parameters are written in the reader's language.

Parameters never name a person: an institution, an organisation, a business, a
vacancy's title, a month, a day or a number. The link leads to the page where the
recipient sees the rest, as far as their role may (R16, R21).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date, gettext

from app.core.labels import label


def N_(message: str) -> str:  # noqa: N802  (marks a message id for extraction)
    return message


@dataclass(frozen=True)
class Kind:
    subject: str
    body: str


KINDS: dict[str, Kind] = {
    # partners
    "referral_new": Kind(
        N_("New referral from %(institution)s"),
        N_("%(institution)s referred parts of a release plan to your organisation. "
           "Please accept or decline it by %(due_on)s.")),
    "referral_answered": Kind(
        N_("Answer from %(institution)s"),
        N_("%(institution)s answered on a referral to your organisation.")),
    "referral_access_ended": Kind(
        N_("A referral is closed to your organisation"),
        N_("The person's consent to share with partner organisations was withdrawn on "
           "%(on)s: the referral from %(institution)s is closed to your organisation.")),
    "outcome_check_due": Kind(
        N_("An outcome check is due"),
        N_("The check %(months)s months after a release referred to you by %(institution)s "
           "was due on %(due_on)s and is not recorded yet.")),
    # officers
    "referral_accepted": Kind(
        N_("Referral accepted by %(partner)s"),
        N_("%(partner)s accepted a referral of a release plan.")),
    "referral_declined": Kind(
        N_("Referral declined by %(partner)s"),
        N_("%(partner)s declined a referral of a release plan; its parts are back with "
           "the institution.")),
    "referral_arranged": Kind(
        N_("%(partner)s recorded what was arranged"),
        N_("%(partner)s recorded what was arranged on a referral of a release plan.")),
    "referral_question": Kind(
        N_("Question from %(partner)s"),
        N_("%(partner)s asked a question on a referral of a release plan.")),
    "consent_withdrawn": Kind(
        N_("A consent was withdrawn"),
        N_("A consent (%(consent)s) was withdrawn from %(on)s. Placements ended: %(ended)s.")),
    "release_soon": Kind(
        N_("A release on %(release_on)s has open plan parts"),
        N_("A person of %(institution)s is released on %(release_on)s and the release plan "
           "is missing or has open parts.")),
    "finding_recorded": Kind(
        N_("A prosecutor recorded a finding"),
        N_("A prosecutor recorded a finding on %(institution)s.")),
    "placements_ended_by_employer": Kind(
        N_("Placements ended: vacancy \"%(title)s\" (%(employer)s)"),
        N_("The employer reduced the positions or closed the vacancy. Placements ended "
           "with the reason \"vacancy closed\": %(count)s.")),
    # businesses
    "business_registered": Kind(
        N_("Registration received"),
        N_("Your business %(name)s is registered. You can log in once an administrator "
           "has approved it.")),
    "business_approved": Kind(
        N_("Your business is approved"),
        N_("%(name)s is approved: you can now log in and publish vacancies.")),
    "business_refused": Kind(
        N_("Your registration is refused"),
        N_("The registration of %(name)s is refused: %(reason)s")),
    "timesheet_returned": Kind(
        N_("A timesheet of %(month)s was returned"),
        N_("%(institution)s returned a timesheet of %(month)s (vacancy \"%(title)s\") to be "
           "corrected and submitted again.")),
    "timesheet_deadline": Kind(
        N_("Timesheets of %(month)s are due"),
        N_("Timesheets of %(month)s not yet submitted: %(count)s. The institution approves "
           "them by %(due_on)s.")),
    # kept from before kinds existed: the text as it was stored
    "text": Kind("%(subject)s", "%(body)s"),
}


def day_param(value: date) -> dict[str, str]:
    """A day as a parameter: written in the reader's language when read."""
    return {"day": value.isoformat()}


def month_param(value: date) -> dict[str, str]:
    """A calendar month as a parameter ("November 2026" in the reader's language)."""
    return {"month": value.replace(day=1).isoformat()}


def _written(value: Any) -> Any:
    if isinstance(value, dict) and "day" in value:
        return format_date(date.fromisoformat(value["day"]), "medium")
    if isinstance(value, dict) and "month" in value:
        return format_date(date.fromisoformat(value["month"]), "LLLL yyyy")
    if isinstance(value, dict) and "label" in value:  # a stored code, shown by its label
        return label(value["label"])
    return value


def render(kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """Subject and body in the current language (the reader's)."""
    message = KINDS.get(kind, KINDS["text"])
    values = {name: _written(value) for name, value in params.items()}
    if kind == "text":  # stored text, not a message id: never looked up in a catalogue
        return str(values.get("subject", "")), str(values.get("body", ""))
    return gettext(message.subject, **values), gettext(message.body, **values)
