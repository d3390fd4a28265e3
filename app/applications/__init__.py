"""Applications (R31): a person asks for a vacancy, a trade or a course, on paper
(the officer records it with the scan) or at a kiosk; every application gets an
answer with its reason in the person's language after the next match run, and
courses and popular vacancies keep a fair waiting list.

Sits above app/placements: the placements hear nothing of it except through the
signals of app/core/signals.py (the adapter asks for the open applications, a
match run and a freed position or seat are told)."""
