"""R17 across pages: every count an employer can obtain about one institution (the
labour pool's available, trade and hours counts, "where to open production" for a
trade, a draft vacancy's eligible count) is protected together, so that no two of
them, from whatever pages, differ by a group of 1 to 4 people. Before, production for
a trade minus the pool's count of the trade gave such groups (73 on the demo, e.g.
AK-159/20, cabinet makers: 8 - 7 = 1, a person of disability group I-II)."""

from collections import defaultdict
from itertools import combinations

import sqlalchemy as sa

from app.auth.operations import find_user_by_email
from app.core.vocabulary import VacancyStatus
from app.demo import seed
from app.extensions import db
from app.institutions.models import Institution
from app.taxonomy.models import Trade
from tests import factories
from tests.factories import ApiClient

POSITIONS = (5, 1000)


def _pool_counts(api) -> tuple[dict, dict]:
    """{(code, trade or None): {what: count}} from the labour pool, and each
    institution's three largest trades."""
    counts, largest = defaultdict(dict), {}
    for pool in api.get("/api/employer/labour-pool").json:
        common = {"available": pool["available"]["count"]} | {
            f"{row['weekly_hours']} h": row["inmates"]["count"] for row in pool["by_hours"]}
        counts[(pool["code"], None)] |= common
        for row in pool["by_trade"]:
            counts[(pool["code"], row["trade_code"])] |= common | {
                "pool by trade": row["inmates"]["count"]}
        largest[pool["code"]] = [row["trade_code"] for row in pool["by_trade"][:3]]
    return counts, largest


def _add_production(api, counts, trades) -> None:
    for trade in sorted(trades):
        for positions in POSITIONS:
            answer = api.get(f"/api/employer/production?trade={trade}&positions={positions}")
            assert answer.status_code == 200, answer.json
            for row in answer.json:
                if (row["code"], trade) in counts:
                    counts[(row["code"], trade)][f"production {positions}"] = \
                        row["extra_employed"]["count"]


def _add_drafts(api, employer, counts, largest) -> None:
    """Drafts of each institution's largest trades, differing in weekly hours and in
    heavy work barred to women, with and without the trade's skill required."""
    institutions = {i.code: i for i in db.session.scalars(sa.select(Institution))}
    for code, trades in largest.items():
        for trade_code in trades:
            trade = db.session.scalar(sa.select(Trade).where(Trade.code == trade_code))
            for hours in (24, 36, 40):
                for heavy in (False, True):
                    for skilled in (False, True):
                        draft = factories.vacancy(
                            employer, institutions[code], status=VacancyStatus.DRAFT,
                            trade_id=trade.id, weekly_hours=hours, heavy_or_hazardous=heavy,
                            women_barred=heavy, required_skills=[trade] if skilled else [])
                        answer = api.get(f"/api/employer/vacancies/{draft.id}/eligibility")
                        assert answer.status_code == 200
                        counts[(code, trade_code)][
                            f"draft {hours} h heavy={heavy} skill={skilled}"] = \
                            answer.json["eligible"]["count"]


def test_no_two_counts_an_employer_can_read_differ_by_a_small_group(app):
    seed(total_inmates=600)
    db.session.commit()
    user = find_user_by_email("employer@demo.kz")
    api = ApiClient(app, user)
    counts, largest = _pool_counts(api)
    _add_production(api, counts, {t for trades in largest.values() for t in trades})
    _add_drafts(api, user.employer, counts, largest)
    small = []
    for (code, trade), found in counts.items():
        shown = {what: n for what, n in found.items() if n is not None}
        for (what_a, a), (what_b, b) in combinations(sorted(shown.items()), 2):
            if 0 < abs(a - b) < 5:
                small.append(f"{code} {trade}: {what_a} {a} - {what_b} {b}")
    compared = sum(len(found) for found in counts.values())
    assert compared > 300  # the demo gives many counts to compare
    assert small == []
