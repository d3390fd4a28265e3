"""Kazakhstan's day (R32): the one clock every "today" of the product reads.

Since 1 March 2024 Kazakhstan keeps one time zone, UTC+5 (Asia/Almaty in the tz
database). Ages, rates, reviews, release, plausible dates and pay months all turn on
the date in Kazakhstan, whatever the server's own clock or zone: between 00:00 and
05:00 Kazakhstan time a server in UTC is still on yesterday. Timestamps are stored in
UTC (``app.core.models.utcnow``) and only shown in Kazakhstan's time.

Nothing else in the product calls ``date.today()`` or ``datetime.now()`` (a test reads
every module); tests move this clock with time-machine.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

KAZAKHSTAN = ZoneInfo("Asia/Almaty")


def now_in_kazakhstan() -> datetime:
    """The present moment on Kazakhstan's wall clock (aware)."""
    return datetime.now(UTC).astimezone(KAZAKHSTAN)


def today_in_kazakhstan() -> date:
    """Today's date in Kazakhstan: the "today" of every rule."""
    return now_in_kazakhstan().date()
