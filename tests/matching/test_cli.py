"""``python -m matching``: the file contract, and bad input -> status 2, one line."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(args, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(tmp_path, text, name="in.json"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


GOOD = {
    "candidates": ["a", "b", "c"],
    "positions": [{"id": "v1", "capacity": 1}, {"id": "v2", "capacity": 2}],
    "edges": [["a", "v1", 5], ["b", "v1", 7], ["b", "v2", 1], ["c", "v2", 0], ["a", "v1", 9]],
}


def test_solve_stdout_and_output_file(tmp_path):
    path = write(tmp_path, json.dumps(GOOD))
    res = run(["solve", path], tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["placed"] == 3 and out["score"] == 9 + 1 + 0
    assert sorted(map(tuple, out["assignments"])) == [("a", "v1"), ("b", "v2"), ("c", "v2")]
    dest = tmp_path / "out.json"
    assert main(["solve", path, "-o", str(dest)]) == 0
    assert json.loads(dest.read_text()) == out


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("{not json", "malformed JSON"),
        ("", "malformed JSON"),
        ('{"candidates": ["a", "a"], "positions": [], "edges": []}', "duplicate candidate"),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": -1}], "edges": []}',
            "capacity",
        ),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": 2.0}], "edges": []}',
            "capacity",
        ),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": 1}], '
            '"edges": [["z", "v", 1]]}',
            "unknown candidate id 'z'",
        ),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": 1}], '
            '"edges": [["a", "v", -1]]}',
            "score",
        ),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": 1}], '
            '"edges": [["a", "v", "3"]]}',
            "score",
        ),
        (
            '{"candidates": ["a"], "positions": [{"id": "v", "capacity": 1}], '
            '"edges": [["a", "v"]]}',
            "edge 0",
        ),
        ('{"candidates": "a", "positions": [], "edges": []}', "must be a list"),
        ("[1, 2]", "top level"),
        ("[" * 100000 + "]" * 100000, "error"),
    ],
)
def test_solve_bad_input_exits_2_with_one_line(tmp_path, text, fragment):
    res = run(["solve", write(tmp_path, text)], tmp_path)
    assert res.returncode == 2
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert fragment in lines[0]
    assert "Traceback" not in res.stderr


def test_missing_file_and_bad_usage(tmp_path, capsys):
    assert main(["solve", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["frobnicate"])
    assert e.value.code == 2


def test_binary_file(tmp_path, capsys):
    p = tmp_path / "bin.json"
    p.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["solve", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1


DOMAIN = {
    "as_of": "2025-03-01",
    "institution": "AK-159/18",
    "inmates": [
        {
            "id": "i1",
            "birth_date": "1990-01-01",
            "sex": "male",
            "skills": {"7212": 2},
            "consents": ["private_employer"],
            "release_date": "2027-01-01",
            "separated_from": ["i2"],
        },
        {
            "id": "i2",
            "birth_date": "1985-06-30",
            "sex": "female",
            "regime": "maximum",
            "consents": ["private_employer"],
            "separated_from": ["i1"],
        },
        {"id": "i3", "birth_date": "1980-01-01", "sex": "male", "legal_status": "remand"},
    ],
    "vacancies": [
        {
            "id": "v1",
            "employer_kind": "private_company",
            "trade_code": "7212",
            "free_positions": 2,
            "start_date": "2025-03-01",
            "monthly_wage": 120000,
        },
        {
            "id": "v2",
            "employer_kind": "institution",
            "trade_code": "5120",
            "site": "outside",
            "free_positions": 1,
            "start_date": "2025-03-01",
        },
    ],
    "courses": [
        {
            "id": "c1",
            "trade_code": "5120",
            "grants_skill": "5120",
            "grants_certificate": None,
            "seats": 4,
            "start_date": "2025-03-01",
            "end_date": "2025-05-01",
        }
    ],
    "settings": {"target_rate": 0.75, "weights": {"wage": 5}},
}


def test_explain_domain_file(tmp_path):
    res = run(["explain", write(tmp_path, json.dumps(DOMAIN))], tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert [(p["inmate_id"], p["vacancy_id"]) for p in out["proposals"]] == [("i1", "v1")]
    reasons = {u["inmate_id"]: u["reason"] for u in out["unplaced"]}
    # i2 could take v1 but R14 keeps her apart from i1 (same site and shift)
    assert reasons == {"i2": "outscored", "i3": "not_able_to_work"}
    (i2,) = [u for u in out["unplaced"] if u["inmate_id"] == "i2"]
    assert i2["barred_by"][0]["rule"] == "R14"
    assert out["separation"]["conflicts_unconstrained"] == 1
    assert out["separation"]["cost_placed"] == 1
    assert out["summary"]["able_to_work"] == 2


@pytest.mark.parametrize(
    "patch, fragment",
    [
        ({"as_of": "2025-13-01"}, "as_of"),
        ({"inmates": [{"id": "x", "birth_date": "1990-01-01", "sex": "robot"}]}, "sex"),
        ({"inmates": [{"id": "x", "sex": "male"}]}, "missing field 'birth_date'"),
        (
            {"inmates": [{"id": "x", "birth_date": "1990-01-01", "sex": "male", "shoe": 1}]},
            "unknown field",
        ),
        (
            {
                "vacancies": [
                    {
                        "id": "v",
                        "employer_kind": "state_enterprise",
                        "trade_code": "1",
                        "free_positions": -1,
                    }
                ]
            },
            "free_positions",
        ),
        (
            {
                "inmates": [
                    {"id": "x", "birth_date": "1990-01-01", "sex": "male", "skills": {"a": 7}}
                ]
            },
            "level",
        ),
        ({"settings": {"target_rate": "high"}}, "target_rate"),
        (
            {
                "inmates": [
                    {"id": "x", "birth_date": "1990-01-01", "sex": "male"},
                    {"id": "x", "birth_date": "1990-01-01", "sex": "male"},
                ]
            },
            "duplicate inmate id",
        ),
    ],
)
def test_explain_bad_input(tmp_path, capsys, patch, fragment):
    data = {**DOMAIN, **patch}
    assert main(["explain", write(tmp_path, json.dumps(data))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


def test_scores_beyond_the_exact_limit_exit_2_with_one_line(tmp_path, capsys):
    """120 x 100 with scores near 2**40 that cannot all be placed: refused, no traceback."""
    rng = np.random.default_rng(1)
    edges = []
    for i in range(120):
        pool, k = (10, 1) if i < 60 else (100, 3)
        for j in rng.choice(pool, k, replace=False):
            edges.append([f"c{i}", f"p{j}", int(2**40 - rng.integers(0, 1000))])
    data = {"candidates": [f"c{i}" for i in range(120)],
            "positions": [{"id": f"p{j}", "capacity": 1} for j in range(100)], "edges": edges}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data))
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: scores too large") and err.count("\n") == 1
    # the same instance with small scores is solved
    for e in data["edges"]:
        e[2] = e[2] % 1000
    path.write_text(json.dumps(data))
    assert main(["solve", str(path)]) == 0


def test_solve_leaves_the_garbage_collector_as_it_was(tmp_path):
    import gc

    path = write(tmp_path, json.dumps(GOOD))
    assert gc.isenabled()
    assert main(["solve", path, "-o", str(tmp_path / "out.json")]) == 0
    assert gc.isenabled()
    assert main(["solve", write(tmp_path, "{", "bad.json")]) == 2
    assert gc.isenabled()


def test_ortools_peer_of_the_process_race_writes_the_same_optimum(tmp_path):
    """benchmarks/ortools_solve_peer.py (the benchmark's peer) reads the same file and
    writes the same answer as ``python -m matching solve``."""
    pytest.importorskip("ortools")
    from matching.synthetic import core_instance

    path = write(tmp_path, json.dumps(core_instance(3, 60, 8, 4, 3, seed=5).to_json()))
    mine = run(["solve", path], tmp_path)
    peer = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ortools_solve_peer.py"), path],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert mine.returncode == 0 and peer.returncode == 0, peer.stderr
    a, b = json.loads(mine.stdout), json.loads(peer.stdout)
    assert (a["placed"], a["score"]) == (b["placed"], b["score"]) and a["placed"] > 0
    assert len(b["assignments"]) == b["placed"]
