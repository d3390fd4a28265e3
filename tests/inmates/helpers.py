"""Builders shared by the inmate tests."""

from datetime import timedelta

from policy.clock import today_in_kazakhstan

TODAY = today_in_kazakhstan()


def payload(**changes) -> dict:
    """A valid inmate record as the API and the forms receive it."""
    data = {
        "file_number": "A-100", "last_name": "Seitkali", "first_name": "Arman",
        "middle_name": "", "birth_date": "1985-03-14", "sex": "male",
        "legal_status": "convicted", "convicted_on": (TODAY - timedelta(days=500)).isoformat(),
        "regime": "medium", "conditions": "ordinary",
        "admission_date": (TODAY - timedelta(days=400)).isoformat(),
        "release_date": (TODAY + timedelta(days=900)).isoformat(),
        "fitness": "fit", "fitness_review_date": (TODAY + timedelta(days=100)).isoformat(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def form_data(**changes) -> dict:
    """The same record as a page form posts it (checkbox absent when false)."""
    data = payload(**changes)
    if data.get("pregnant") is False:
        data.pop("pregnant")
    return data
