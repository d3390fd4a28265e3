"""gunicorn settings shared by `make run` and the README's commands (`-c gunicorn.conf.py`).

The timeout leaves room for the largest request: a page or API import takes at most
20,000 rows (app/inmates/spreadsheets.py, IMPORT_MAX_ROWS), which commits in 10-21 s on
the 2-core test machine under load (benchmarks/bench_import.py --rows 20000); gunicorn's
default of 30 s was too close. Larger files go through `flask import-inmates`.
"""

import multiprocessing

bind = "127.0.0.1:8000"
# Two workers per core: a worker waits on PostgreSQL about as long as it computes, so
# two keep a core busy; the load benchmark (benchmarks/load.py) measures this setting.
workers = 2 * multiprocessing.cpu_count()
timeout = 120
graceful_timeout = 30
