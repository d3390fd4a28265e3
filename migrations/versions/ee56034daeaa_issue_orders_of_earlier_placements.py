"""placement and removal orders for the placements made before orders were stored

Every placement gets its placement order and every ended placement its removal order,
so that printing or reading an order through the API only reads (it issued the missing
ones before: a write on a GET, numbered in the order people happened to print).

Numbers: one sequence per institution and year, as ``app/placements/orders.py`` issues
them, in date order: the day each order is dated (a placement order the placement's
first day, or the day it was recorded if earlier; a removal order the ending's last
working day, the day before its end date, or the end date when it ended on its first
day; never after today in Kazakhstan), then the placement's id, the placement order
before the removal order of the same day. They continue after the last number already
issued in that institution's year (orders issued since the table existed keep theirs:
numbers are unique and never change). Issued by whoever made the placement (placement
orders; none for removal orders, as a release by the system), in that user's language,
else the app's default locale.

The facts (the text the order prints) are built here from the tables with Core SQL, a
copy of ``app.placements.orders.facts_of`` as it is at this revision (the same keys and
values; ``tests/placements/test_order_migration.py`` compares them), not by importing
it. A migration must do the same thing whenever it runs, on a database at this revision:
the app's models and functions follow the newest schema and rules, and a later change
to them (a renamed column, a new fact read from a table this revision does not have)
would break or silently change this migration on every fresh install. It imports only
``policy.clock`` (Kazakhstan's clock; no model, no database). Orders stored before this
revision are never changed. No audit events are written: the rows are derived from
records already audited, and the revision itself records when it ran.

Revision ID: ee56034daeaa
Revises: a588af4837b6
Create Date: 2026-12-07 19:00:00

"""
from datetime import timedelta, timezone

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

from policy.clock import day_of, now_in_kazakhstan

revision = 'ee56034daeaa'
down_revision = 'a588af4837b6'
branch_labels = None
depends_on = None

LANGUAGES = ('kk', 'ru', 'en')
BATCH = 1000

placements = sa.table(
    'placements', sa.column('id', sa.Integer), sa.column('inmate_id', sa.Integer),
    sa.column('vacancy_id', sa.Integer), sa.column('institution_id', sa.Integer),
    sa.column('start_date', sa.Date), sa.column('end_date', sa.Date),
    sa.column('end_reason', sa.String), sa.column('end_note', sa.String),
    sa.column('weekly_hours', sa.Integer), sa.column('monthly_wage', sa.Integer),
    sa.column('created_by_id', sa.Integer), sa.column('created_at', sa.DateTime))
orders = sa.table(
    'placement_orders', sa.column('placement_id', sa.Integer),
    sa.column('institution_id', sa.Integer), sa.column('kind', sa.String),
    sa.column('year', sa.Integer), sa.column('sequence', sa.Integer),
    sa.column('number', sa.String), sa.column('issued_on', sa.Date),
    sa.column('language', sa.String), sa.column('facts', sa.JSON),
    sa.column('issued_by_id', sa.Integer), sa.column('created_at', sa.DateTime))
institutions = sa.table('institutions', sa.column('id', sa.Integer),
                        sa.column('code', sa.String), sa.column('name', sa.String),
                        sa.column('address', sa.String))
inmates = sa.table('inmates', sa.column('id', sa.Integer), sa.column('last_name', sa.String),
                   sa.column('first_name', sa.String), sa.column('middle_name', sa.String),
                   sa.column('file_number', sa.String), sa.column('birth_date', sa.Date))
vacancies = sa.table('vacancies', sa.column('id', sa.Integer),
                     sa.column('employer_id', sa.Integer), sa.column('title', sa.String),
                     sa.column('trade_id', sa.Integer), sa.column('site', sa.String),
                     sa.column('shift', sa.String))
employers = sa.table('employers', sa.column('id', sa.Integer), sa.column('name', sa.String))
trades = sa.table('trades', sa.column('id', sa.Integer), sa.column('code', sa.String),
                  sa.column('name_en', sa.String), sa.column('name_ru', sa.String),
                  sa.column('name_kk', sa.String))
users = sa.table('users', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                 sa.column('role', sa.String), sa.column('language', sa.String))


def upgrade():
    connection = op.get_bind()
    moment = now_in_kazakhstan()
    today = moment.date()
    rows = connection.execute(_records()).mappings().all()
    issued = set(connection.execute(sa.select(orders.c.placement_id, orders.c.kind)).tuples())
    people = {user.id: user for user in connection.execute(sa.select(users)).mappings()}
    wanted = sorted(
        ((row['institution_id'], _day(row, kind, today), row['id'], kind, row)
         for row in rows for kind in _kinds(row) if (row['id'], kind) not in issued),
        key=lambda w: w[:4])
    last = dict(((institution, year), number) for institution, year, number in connection.execute(
        sa.select(orders.c.institution_id, orders.c.year, sa.func.max(orders.c.sequence))
        .group_by(orders.c.institution_id, orders.c.year)).tuples())
    now = moment.astimezone(timezone.utc).replace(tzinfo=None)  # stored in UTC, naive
    new = []
    for institution_id, day, _, kind, row in wanted:
        key = (institution_id, day.year)
        last[key] = last.get(key, 0) + 1
        issuer = row['created_by_id'] if kind == 'placement' else None
        new.append(dict(
            placement_id=row['id'], institution_id=institution_id, kind=kind, year=day.year,
            sequence=last[key], number=f"{row['institution_code']}/{day.year}/{last[key]}",
            issued_on=day, language=_language(people.get(issuer)), issued_by_id=issuer,
            facts=_facts(row, kind, people.get(issuer)), created_at=now))
    for start in range(0, len(new), BATCH):
        connection.execute(orders.insert(), new[start:start + BATCH])


def downgrade():
    """The orders stay: once issued, a number never changes (nor goes away)."""


def _records() -> sa.Select:
    """Each placement lacking an order, with what its facts say."""
    return (
        sa.select(placements,
                  institutions.c.code.label('institution_code'),
                  institutions.c.name.label('institution_name'),
                  institutions.c.address.label('institution_address'),
                  inmates.c.last_name, inmates.c.first_name, inmates.c.middle_name,
                  inmates.c.file_number, inmates.c.birth_date,
                  vacancies.c.title, vacancies.c.site, vacancies.c.shift,
                  employers.c.name.label('employer_name'),
                  trades.c.code.label('trade_code'), trades.c.name_en, trades.c.name_ru,
                  trades.c.name_kk)
        .join(institutions, institutions.c.id == placements.c.institution_id)
        .join(inmates, inmates.c.id == placements.c.inmate_id)
        .join(vacancies, vacancies.c.id == placements.c.vacancy_id)
        .join(employers, employers.c.id == vacancies.c.employer_id)
        .join(trades, trades.c.id == vacancies.c.trade_id)
        .where(sa.or_(
            ~sa.exists().where(orders.c.placement_id == placements.c.id,
                               orders.c.kind == 'placement'),
            placements.c.end_date.is_not(None) & ~sa.exists().where(
                orders.c.placement_id == placements.c.id, orders.c.kind == 'removal'))))


def _kinds(row) -> list[str]:
    return ['placement'] + (['removal'] if row['end_date'] is not None else [])


def _last_working_day(row):
    """The day before the end date; None when the placement ended on its first day."""
    day = row['end_date'] - timedelta(days=1)
    return day if day >= row['start_date'] else None


def _day(row, kind: str, today):
    if kind == 'placement':
        day = min(day_of(row['created_at']), row['start_date'])
    else:
        day = _last_working_day(row) or row['end_date']
    return min(day, today)


def _language(user) -> str:
    language = (user['language'] or '') if user is not None else ''
    if language in LANGUAGES:
        return language
    return current_app.config.get('BABEL_DEFAULT_LOCALE', 'en') if has_app_context() else 'en'


def _facts(row, kind: str, issuer) -> dict:
    """``facts_of``'s text at this revision: days as ISO dates, stored values of the
    vocabulary, the trade in every language; the officer who signs is the one who made
    the placement (placement orders) if an officer did, otherwise left blank."""
    officer = issuer['full_name'] if issuer is not None and issuer['role'] == 'officer' else ''
    facts = {
        'institution': {'code': row['institution_code'], 'name': row['institution_name'],
                        'address': row['institution_address'] or ''},
        'person': {'full_name': ' '.join(part for part in (
                       row['last_name'], row['first_name'], row['middle_name']) if part),
                   'file_number': row['file_number'],
                   'birth_date': row['birth_date'].isoformat()},
        'employer': row['employer_name'], 'vacancy': row['title'],
        'trade': {'code': row['trade_code'], 'en': row['name_en'], 'ru': row['name_ru'],
                  'kk': row['name_kk'] or row['name_ru']},
        'site': row['site'], 'shift': row['shift'],
        'weekly_hours': row['weekly_hours'], 'monthly_wage': row['monthly_wage'],
        'start_date': row['start_date'].isoformat(), 'officer': officer,
    }
    if kind == 'removal':
        last_day = _last_working_day(row)
        facts.update(end_date=row['end_date'].isoformat(),
                     last_working_day=last_day.isoformat() if last_day else None,
                     end_reason=row['end_reason'], end_note=row['end_note'] or '')
    return facts
