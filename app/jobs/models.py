"""The rows of jobs and of the daily schedule's runs."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import fk, utcnow
from app.core.vocabulary import enum_column
from app.extensions import db


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work asked for by a user. Its writes and its ``finished``
    status commit together, so a finished job wrote everything and any other wrote
    nothing; ``attempt`` counts the runs, and only the run holding the current
    attempt may finish it. A job of the system itself (the immediate e-mail of
    notifications) has no owner and is on nobody's list of jobs."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = fk("users.id", nullable=True)  # None: the system's own
    institution_id: Mapped[int | None] = fk("institutions.id", nullable=True)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(2000))
    attempt: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_jobs_status_id", "status", "id"),)


class ScheduleRun(db.Model):
    """One daily task done for one Kazakhstan day: the day is unique per task, so a
    task done twice for a day (two schedulers, a retry) is refused by the database."""

    __tablename__ = "schedule_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(60))
    day: Mapped[date]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    ok: Mapped[bool] = mapped_column(default=True)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (sa.UniqueConstraint("task", "day"),)
