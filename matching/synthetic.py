"""Reproducible synthetic data (invented, no real person) for benchmarks and tests."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .problem import Course, Inmate, Instance, Problem, Settings, Vacancy

TRADES = tuple(f"T{k:02d}" for k in range(35))  # about 35 trades are taught (DOMAIN.md)


def core_instance(
    n_institutions: int,
    inmates_per: int,
    vacancies_per: int,
    degree: float,
    capacity_mean: float,
    seed: int = 0,
    score_max: int = 110,
    capacity_range: tuple[int, int] | None = None,
) -> Instance:
    """Institutions never share candidates: one block per institution.

    Each inmate gets Poisson(``degree``) eligible vacancies of its institution (popular
    vacancies more often), capacities so that about 75% could be placed: Poisson around
    ``capacity_mean``, or uniform over ``capacity_range`` (big workshops, e.g. 20-60).
    """
    rng = np.random.default_rng(seed)
    ec, ep, es, caps = [], [], [], []
    n_tot = m_tot = 0
    for _ in range(n_institutions):
        n, m = inmates_per, vacancies_per
        cap = (rng.poisson(capacity_mean - 1, m) + 1 if capacity_range is None
               else rng.integers(capacity_range[0], capacity_range[1] + 1, m))
        pop = rng.gamma(1.0, 1.0, m)
        pop /= pop.sum()
        deg = np.minimum(rng.poisson(degree, n), m)
        rows = np.repeat(np.arange(n), deg)
        cols = rng.choice(m, size=rows.size, p=pop)
        ec.append(rows + n_tot)
        ep.append(cols + m_tot)
        es.append(rng.integers(0, score_max + 1, rows.size))
        caps.append(cap)
        n_tot += n
        m_tot += m
    return Instance.from_arrays(
        [f"i{k}" for k in range(n_tot)],
        [f"v{k}" for k in range(m_tot)],
        np.concatenate(caps),
        np.concatenate(ec),
        np.concatenate(ep),
        np.concatenate(es),
    )


def problem(
    n_inmates: int = 2000,
    n_vacancies: int = 150,
    n_courses: int = 8,
    seed: int = 0,
    as_of: dt.date = dt.date(2025, 3, 1),
    separated_pairs: int = 10,
) -> Problem:
    """One institution of invented inmates and vacancies."""
    rng = np.random.default_rng(seed)
    day0 = as_of.toordinal()
    trades = TRADES
    inmates = []
    for k in range(n_inmates):
        age_days = int(rng.integers(18 * 365, 70 * 365))
        birth = dt.date.fromordinal(day0 - age_days)
        sex = "female" if rng.random() < 0.08 else "male"
        skills = {
            str(t): int(rng.integers(1, 4))
            for t in rng.choice(trades, size=int(rng.integers(0, 4)), replace=False)
        }
        certs = frozenset(
            str(t) for t in rng.choice(trades, size=int(rng.integers(0, 2)), replace=False)
        )
        wishes = frozenset(
            str(t) for t in rng.choice(trades, size=int(rng.integers(0, 3)), replace=False)
        )
        days_left = int(rng.integers(10, 3000))
        release = None if rng.random() < 0.05 else dt.date.fromordinal(day0 + days_left)
        consents = set()
        if rng.random() < 0.7:
            consents.add("private_employer")
        if rng.random() < 0.5:
            consents.add("voluntary_work")
        inmates.append(
            Inmate(
                id=f"i{k}",
                birth_date=birth,
                sex=sex,
                legal_status="remand" if rng.random() < 0.05 else "convicted",
                regime=str(rng.choice(["minimum", "medium", "medium", "maximum"])),
                conditions=str(rng.choice(["strict", "ordinary", "facilitated", "preferential"])),
                release_date=release,
                fitness=str(rng.choice(["fit"] * 8 + ["limited", "unfit"])),
                fitness_review_date=dt.date.fromordinal(day0 + int(rng.integers(-30, 400))),
                disability_group=int(rng.choice([0] * 20 + [1, 2, 3])) or None,
                pregnant=sex == "female" and rng.random() < 0.05,
                consents=frozenset(consents),
                skills=skills,
                certificates=certs,
                trade_wishes=wishes,
                last_training_end=(
                    dt.date.fromordinal(day0 - int(rng.integers(1, 900)))
                    if rng.random() < 0.3
                    else None
                ),
                current_weekly_hours=int(rng.choice([0] * 9 + [8])),
                employed=rng.random() < 0.25,
            )
        )
    ids = [p.id for p in inmates]
    for _ in range(separated_pairs):
        a, b = rng.choice(n_inmates, size=2, replace=False)
        pa, pb = inmates[a], inmates[b]
        inmates[a] = _with(pa, separated_from=pa.separated_from | {ids[b]})
        inmates[b] = _with(pb, separated_from=pb.separated_from | {ids[a]})
    vacancies = []
    for k in range(n_vacancies):
        trade = str(rng.choice(trades))
        vacancies.append(
            Vacancy(
                id=f"v{k}",
                employer_kind=str(
                    rng.choice(
                        ["state_enterprise", "private_company", "sole_trader", "institution"]
                    )
                ),
                trade_code=trade,
                title=f"job {k}",
                site="outside" if rng.random() < 0.2 else "inside",
                free_positions=int(rng.poisson(4) + 1),
                weekly_hours=int(rng.choice([40, 40, 36, 30, 20])),
                shift=str(rng.choice(["day", "day", "evening", "night"])),
                heavy_or_hazardous=rng.random() < 0.15,
                women_barred=rng.random() < 0.05,
                required_skills=frozenset({trade}) if rng.random() < 0.7 else frozenset(),
                required_certificates=frozenset({trade}) if rng.random() < 0.3 else frozenset(),
                trainable_on_job=rng.random() < 0.3,
                start_date=dt.date.fromordinal(day0 + int(rng.integers(-60, 120))),
                end_date=None if rng.random() < 0.7 else dt.date.fromordinal(day0 + 400),
                monthly_wage=int(rng.integers(80_000, 200_000)),
                needs_long_stay=rng.random() < 0.3,
            )
        )
    courses = [
        Course(
            id=f"c{k}",
            trade_code=(t := str(rng.choice(trades))),
            grants_skill=t,
            grants_certificate=t if rng.random() < 0.3 else None,
            seats=int(rng.integers(5, 30)),
            start_date=as_of,
            end_date=dt.date.fromordinal(day0 + int(rng.integers(30, 180))),
        )
        for k in range(n_courses)
    ]
    return Problem(
        as_of=as_of,
        institution="AK-000/00 (invented)",
        inmates=inmates,
        vacancies=vacancies,
        courses=courses,
        settings=Settings(),
    )


def _with(p: Inmate, **kw: object) -> Inmate:
    import dataclasses

    return dataclasses.replace(p, **kw)  # type: ignore[arg-type]


def with_security_and_applications(
    p: Problem, seed: int = 0, flagged_share: float = 0.03, applied_share: float = 0.3,
    workshops: int = 12,
) -> Problem:
    """``p`` with invented R27-R31 data: risk levels (a fifth unassessed), flagged persons
    (``flagged_share``), a court ban on one trade for 2%, applications for a vacancy, a
    trade or a course (``applied_share`` of the inmates, received within 90 days), and
    vacancies with a highest risk level (a quarter), a workshop (``workshops`` per site)
    and now and then a flagged person already at work there."""
    import dataclasses

    rng = np.random.default_rng(seed + 10_007)
    day0 = p.as_of.toordinal()
    vids = [v.id for v in p.vacancies]
    cids = [c.id for c in p.courses]
    levels = len(p.settings.risk_levels)

    def day() -> dt.date:
        return dt.date.fromordinal(day0 - int(rng.integers(0, 90)))

    inmates = []
    for x in p.inmates:
        apps: dict[str, dt.date] = {}
        if vids and rng.random() < applied_share:
            apps[f"vacancy:{vids[int(rng.integers(len(vids)))]}"] = day()
        if rng.random() < applied_share / 3:
            apps[f"trade:{TRADES[int(rng.integers(len(TRADES)))]}"] = day()
        if cids and rng.random() < applied_share / 3:
            apps[f"course:{cids[int(rng.integers(len(cids)))]}"] = day()
        inmates.append(dataclasses.replace(
            x, risk_level=-1 if rng.random() < 0.2 else int(rng.integers(levels)),
            flagged=bool(rng.random() < flagged_share),
            banned_trades=(frozenset({TRADES[int(rng.integers(len(TRADES)))]})
                           if rng.random() < 0.02 else frozenset()),
            applications=apps))
    vacancies = [dataclasses.replace(
        v, max_risk_level=(int(rng.integers(levels - 1)) if rng.random() < 0.25
                           else v.max_risk_level),
        workplace=f"W{int(rng.integers(workshops))}",
        flagged_placed=int(rng.random() < 0.1)) for v in p.vacancies]
    return dataclasses.replace(p, inmates=inmates, vacancies=vacancies)
