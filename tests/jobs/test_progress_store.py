"""The embedded store of job progress (a JSON file per job): a job's thread and its
heartbeat write the same record at once and neither fails nor loses the other's fields."""

import threading

from app.jobs.progress import FileStore


def test_two_threads_writing_one_record_lose_nothing(tmp_path):
    store, rounds, failures = FileStore(str(tmp_path)), 400, []

    def write(field: str) -> None:
        try:
            for n in range(rounds):
                store.write("job-1", {field: n})
        except Exception as error:  # the race this test is about: a file renamed away
            failures.append(error)

    threads = [threading.Thread(target=write, args=(field,)) for field in ("done", "beat")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert store.read("job-1") == {"done": rounds - 1, "beat": rounds - 1}
    assert [path.name for path in tmp_path.iterdir()] == ["job-1.json"]
