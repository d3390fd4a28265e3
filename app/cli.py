"""Command-line tasks: ``flask seed-demo``, ``flask create-user``, ``flask import-inmates``,
``flask forget-kept-figures``, ``flask notify-deadlines`` (``flask send-digests`` is
app/notifications')."""

from datetime import date

import click
from flask import Flask, g
from flask_babel import lazy_gettext as _l

from app.core.transactions import committing
from app.core.vocabulary import Role
from app.jobs.schedule import register_daily
from policy.clock import today_in_kazakhstan


def email_digests(day: date) -> dict[str, int]:
    """The daily schedule's e-mail of unread notifications (and retry of failed e-mails)."""
    from app.notifications.mail import send_daily_digests

    return {"sent": send_daily_digests(day)}


register_daily("e-mail-digests", _l("Daily e-mail digests of notifications"), email_digests)


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--inmates", default=3000, show_default=True, help="Invented inmates to create.")
    def seed_demo(inmates: int) -> None:
        """Create invented demo data and one login per role (idempotent)."""
        import sqlalchemy as sa

        from app.demo import seed
        from app.extensions import db

        g.audit_actor = "seed-demo"
        with committing():
            logins = seed(total_inmates=inmates)
        if db.engine.dialect.name == "postgresql":
            # Fresh statistics: PostgreSQL plans freshly loaded tables as nearly empty
            # (nested loops over thousands of rows) until autovacuum analyses them.
            with committing():
                db.session.execute(sa.text("ANALYZE"))
        click.echo("Demo data ready (invented, no real person's data). Logins:")
        for role, email, password in logins:
            click.echo(f"  {role:<11} {email:<34} {password}")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", "full_name", required=True)
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--institution-id", type=int)
    @click.option("--employer-id", type=int)
    @click.option("--region-id", type=int)
    @click.password_option()
    def create_user(email, full_name, role, institution_id, employer_id, region_id, password):
        """Create a user (the first administrator, typically)."""
        from app.auth.operations import create_user as create

        g.audit_actor = "create-user"
        with committing():
            create(email=email, full_name=full_name, password=password, role=Role(role),
                   institution_id=institution_id, employer_id=employer_id, region_id=region_id)
        click.echo(f"Created {role} {email}")

    @app.cli.command("import-inmates")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--institution", "code", required=True, help="The institution's code.")
    @click.option("--kind", type=click.Choice(["inmates", "skills"]), default="inmates",
                  show_default=True)
    @click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")
    def import_inmates(path: str, code: str, kind: str, dry_run: bool) -> None:
        """Import a CSV or XLSX file of any size (over the pages' row limit): read and
        checked a chunk at a time with progress, then written all or nothing, as the
        page's import."""
        import os
        import time

        import sqlalchemy as sa

        from app.extensions import db
        from app.inmates import spreadsheets
        from app.institutions.models import Institution

        institution = db.session.scalar(sa.select(Institution).where(Institution.code == code))
        if institution is None:
            raise click.BadParameter(f"no institution with the code {code}",
                                     param_hint="--institution")
        g.audit_actor = "import-inmates"
        started = time.monotonic()

        def progress(report) -> None:
            click.echo(f"  {report.rows} rows checked, {report.problem_count} problems, "
                       f"{report.to_create} to add, {report.to_update} to update "
                       f"({time.monotonic() - started:.1f} s)")

        limits = spreadsheets.ReadLimits(max_rows=None, chunk_rows=spreadsheets.CHUNK_ROWS,
                                         unpacked_limit=None, progress=progress)
        with committing(), open(path, "rb") as handle:
            report = spreadsheets.run_import(kind, institution, os.path.basename(path), handle,
                                             dry_run=dry_run, limits=limits)
            for problem in report.problems:
                click.echo(f"  row {problem.row}, {problem.column}: {problem.problem}")
            click.echo(f"{report.message} ({time.monotonic() - started:.1f} s)")
            if report.problem_count:
                raise click.exceptions.Exit(1)

    @app.cli.command("forget-kept-figures")
    def forget_kept_figures() -> None:
        """Forget every kept figure (rates, pool, violations): needed only after data was
        changed in the database by hand, which the product does not see."""
        from app.extensions import db
        from app.placements import kept

        with committing():
            kept.forget_everything(db.session)
        click.echo("Kept figures forgotten; each is computed again when next read.")

    @app.cli.command("notify-deadlines")
    @click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="The day to notify for (default today in Kazakhstan).")
    def notify_deadlines(day) -> None:
        """Notify what is due on the day: releases within 30 days with open plan parts
        (officers), outcome checks due (partners), last month's timesheets not submitted
        (businesses). Idempotent: nobody is told twice of the same thing."""
        g.audit_actor = "notify-deadlines"
        with committing():
            told = notify_due(day.date() if day else today_in_kazakhstan())
        for name, count in told.items():
            click.echo(f"{name}: {count}")


def notify_due(day: date) -> dict[str, int]:
    """Every deadline notice of ``day`` (what the daily schedule calls, in one
    transaction); the notifications made by each."""
    from app.pay.deadlines import notify_timesheet_deadline
    from app.reintegration.deadlines import notify_outcome_checks_due, notify_releases_soon

    return {"releases within 30 days": notify_releases_soon(day),
            "outcome checks due": notify_outcome_checks_due(day),
            "timesheet deadline": notify_timesheet_deadline(day)}
