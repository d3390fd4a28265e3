"""Command-line tasks: ``flask seed-demo``, ``flask create-user``."""

import click
from flask import Flask, g

from app.core.transactions import committing
from app.core.vocabulary import Role


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--inmates", default=3000, show_default=True, help="Invented inmates to create.")
    def seed_demo(inmates: int) -> None:
        """Create invented demo data and one login per role (idempotent)."""
        from app.demo import seed

        g.audit_actor = "seed-demo"
        with committing():
            logins = seed(total_inmates=inmates)
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
