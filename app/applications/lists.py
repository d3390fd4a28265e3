"""A target's waiting list in the engine's order (``matching.applications``), for a
problem already built: the run's own (answers) or today's (the officer's page, a
hand-over)."""

from dataclasses import replace

import matching
from app.training.models import Course
from app.vacancies.models import Vacancy
from matching.applications import WaitingPlace, waiting_list


def target_key(target: Vacancy | Course) -> str:
    return f"{'vacancy' if isinstance(target, Vacancy) else 'course'}:{target.id}"


def ranked(problem: matching.Problem, target: Vacancy | Course) -> list[WaitingPlace]:
    """The engine's list (``matching.applications.WaitingPlace``) for ``target``."""
    return waiting_list(with_room(problem, target), target_key(target))


def with_room(problem: matching.Problem, target: Vacancy | Course) -> matching.Problem:
    """``problem`` with one place free in ``target``: a waiting list is the order the
    next free place follows, so a full vacancy or course still has one (the engine
    leaves a full one out, or bars everyone from it by R11)."""
    if isinstance(target, Vacancy):
        return replace(problem, vacancies=[
            replace(v, free_positions=max(v.free_positions, 1)) if v.id == str(target.id)
            else v for v in problem.vacancies])
    others = [c for c in problem.courses if c.id != str(target.id)]
    code = target.trade.code
    return replace(problem, courses=[*others, matching.Course(
        id=str(target.id), trade_code=code, grants_skill=code,
        grants_certificate=code if target.grants_certificate else None, seats=1,
        start_date=target.start_date, end_date=target.end_date)])
