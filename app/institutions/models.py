import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import fk
from app.core.vocabulary import InstitutionKind, Regime, enum_column
from app.extensions import db


class Region(db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    institutions: Mapped[list["Institution"]] = relationship(
        back_populates="region", order_by="Institution.code"
    )

    def __str__(self) -> str:
        return self.name


class Institution(db.Model):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = fk("regions.id")
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind))
    regime: Mapped[Regime] = mapped_column(enum_column(Regime))
    address: Mapped[str] = mapped_column(String(300), default="")
    # R29: flagged persons a workplace and shift takes at most; none: the year's setting
    scattered_cap: Mapped[int | None]
    # Whether the institution runs kiosks where inmates sign in to their own view
    # (app/kiosk); otherwise only the printed statement.
    runs_kiosks: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    region: Mapped[Region] = relationship(back_populates="institutions")

    @property
    def is_juvenile(self) -> bool:
        return self.kind == InstitutionKind.JUVENILE_COLONY

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
