"""The simulated users of benchmarks/load.py (a locust file; run through load.py).

Each user logs in through the API (a bearer token) and then, about once a second, does
what its role does most: officers list and open inmates, accept proposals of the latest
match run and enrol inmates in courses; employers look at the labour pool and their
vacancies; prosecutors read rates and violations. A refusal the domain expects (409, 422:
the position was taken, R13...) is an answer, not an error; any other status is.
"""

import os
import random

from locust import HttpUser, between, task

PASSWORD = "demo-password-1"
OFFICERS = ("officer.dolinka@demo.kz", "officer.karabas@demo.kz")
EXPECTED_REFUSALS = (409, 422)


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    emails: tuple[str, ...] = ()

    def on_start(self) -> None:
        response = self.client.post("/api/auth/tokens", name="POST /api/auth/tokens", json={
            "email": random.choice(self.emails), "password": PASSWORD, "name": "load"})
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {response.json()['token']}"

    def get(self, path: str, name: str):
        return self.client.get(path, name=name)

    def post(self, path: str, name: str, body: dict):
        with self.client.post(path, name=name, json=body, catch_response=True) as response:
            if response.status_code in EXPECTED_REFUSALS:
                response.success()
            return response


class Officer(ApiUser):
    weight = int(os.environ.get("LOAD_OFFICERS", "20"))
    emails = OFFICERS

    def on_start(self) -> None:
        super().on_start()
        runs = self.client.get("/api/placements/runs?page_size=1", name="GET runs").json()
        run = self.client.get(f"/api/placements/runs/{runs[0]['id']}",
                              name="GET runs/<id>").json() if runs else {}
        self.proposals = [p["id"] for p in run.get("proposals", [])
                          if p.get("status") == "pending"]
        self.courses = [c["id"] for c in self.client.get(
            "/api/training/courses", name="GET /api/training/courses").json()]
        page = self.get("/api/inmates/", "GET /api/inmates/").json()
        self.inmates = [row["id"] for row in page["items"]]
        self.pages = max(1, page["pages"])

    @task(6)
    def list_inmates(self) -> None:
        page = self.get(f"/api/inmates/?page={random.randint(1, self.pages)}",
                        "GET /api/inmates/?page").json()
        self.inmates = [row["id"] for row in page["items"]] or self.inmates

    @task(6)
    def profile(self) -> None:
        if self.inmates:
            self.get(f"/api/inmates/{random.choice(self.inmates)}", "GET /api/inmates/<id>")

    @task(2)
    def accept(self) -> None:
        if self.proposals:
            proposal = self.proposals.pop(random.randrange(len(self.proposals)))
            self.post(f"/api/placements/proposals/{proposal}/accept",
                      "POST /api/placements/proposals/<id>/accept", {})

    @task(2)
    def enrol(self) -> None:
        if self.courses and self.inmates:
            self.post(f"/api/training/courses/{random.choice(self.courses)}/enrolments",
                      "POST /api/training/courses/<id>/enrolments",
                      {"inmate_id": random.choice(self.inmates)})


class Employer(ApiUser):
    weight = int(os.environ.get("LOAD_EMPLOYERS", "15"))
    emails = ("employer@demo.kz",)

    @task(3)
    def labour_pool(self) -> None:
        self.get("/api/employer/labour-pool", "GET /api/employer/labour-pool")

    @task(2)
    def vacancies(self) -> None:
        self.get("/api/employer/vacancies", "GET /api/employer/vacancies")


class Prosecutor(ApiUser):
    weight = int(os.environ.get("LOAD_PROSECUTORS", "15"))
    emails = ("prosecutor.karaganda@demo.kz", "prosecutor@demo.kz")

    @task(3)
    def rates(self) -> None:
        self.get("/api/monitoring/rates", "GET /api/monitoring/rates")

    @task(2)
    def violations(self) -> None:
        self.get("/api/monitoring/violations", "GET /api/monitoring/violations")
