"""Kazakhstan's day (R32): the one clock every "today" of the product reads.

Since 1 March 2024 Kazakhstan keeps one time zone, UTC+5 (Asia/Almaty in the tz
database). Ages, rates, reviews, release, plausible dates and pay months all turn on
the date in Kazakhstan, whatever the server's own clock or zone: between 00:00 and
05:00 Kazakhstan time a server in UTC is still on yesterday. Timestamps are stored in
UTC (``app.core.models.utcnow``) and only shown in Kazakhstan's time.

Nothing else in the product calls ``date.today()`` or ``datetime.now()`` (a test reads
every module); tests move this clock with time-machine.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

KAZAKHSTAN = ZoneInfo("Asia/Almaty")


def now_in_kazakhstan() -> datetime:
    """The present moment on Kazakhstan's wall clock (aware)."""
    return datetime.now(UTC).astimezone(KAZAKHSTAN)


def today_in_kazakhstan() -> date:
    """Today's date in Kazakhstan: the "today" of every rule."""
    return now_in_kazakhstan().date()


def day_begins(day: date) -> datetime:
    """The moment Kazakhstan's ``day`` begins, as moments are stored: naive UTC (19:00 UTC
    the evening before). A filter "from day A to day B" of stored moments is
    ``day_begins(A) <= moment < day_begins(B + 1 day)``."""
    return datetime.combine(day, time(), KAZAKHSTAN).astimezone(UTC).replace(tzinfo=None)


def day_of(moment: datetime) -> date:
    """Kazakhstan's date of a stored moment (naive UTC): 20:30 UTC is the next day there."""
    return moment.replace(tzinfo=UTC).astimezone(KAZAKHSTAN).date()
