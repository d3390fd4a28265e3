import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Trade(db.Model):
    """A trade or skill of the taxonomy, tied to its ISCO-08 unit group.

    Skills, certificates, wishes, courses and vacancies all refer to trades,
    so "the inmate holds the skill a vacancy requires" is one id comparison.
    """

    __tablename__ = "trades"
    __table_args__ = (sa.CheckConstraint("length(isco_code) = 4", name="isco_code_4_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_kk: Mapped[str] = mapped_column(String(200), default="", server_default="")
    isco_code: Mapped[str] = mapped_column(String(4), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return localized_name(self)


def trade_choices(blank: str | None = "") -> list[tuple[str, str]]:
    """The active trades as a picker's options, in the user's language and sorted
    by their names in it; ``blank`` (the default an empty one) first, so that no
    trade is chosen for the user (None: no blank option)."""
    named = [(str(t.id), localized_name(t))
             for t in db.session.scalars(sa.select(Trade).where(Trade.active.is_(True)))]
    named.sort(key=lambda option: option[1].casefold())
    return ([("", blank)] if blank is not None else []) + named


def localized_name(trade: Trade) -> str:
    from flask_babel import get_locale

    language = str(get_locale())
    if language == "kk":
        return trade.name_kk or trade.name_ru
    return trade.name_ru if language == "ru" else trade.name_en


def trade_label(code: str) -> str:
    """The localized name of the trade with ``code`` (engine results carry codes)."""
    from flask import g

    if "trade_names" not in g:
        g.trade_names = {t.code: localized_name(t) for t in db.session.scalars(sa.select(Trade))}
    return g.trade_names.get(code, code)
