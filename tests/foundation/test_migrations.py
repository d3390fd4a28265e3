"""The Alembic history has one head and creates exactly the models' schema."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_single_head():
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture
def migrated_engine(app, tmp_path):
    """An empty database upgraded by the migrations (not by create_all)."""
    url = str(db.engine.url.render_as_string(hide_password=False))
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
        engine = sa.create_engine(url)
    else:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS migrated CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA migrated"))
        url = engine.url.update_query_dict({"options": "-csearch_path=migrated"})
        engine = sa.create_engine(url)
    # Flask-Migrate upgrades db.engine; point it at the empty database meanwhile.
    engines = db._app_engines[app]
    test_engine = engines[None]
    engines[None] = engine
    try:
        upgrade(directory=str(MIGRATIONS))
        yield engine
    finally:
        engines[None] = test_engine
        engine.dispose()


def test_migrations_create_the_models_schema(migrated_engine):
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
