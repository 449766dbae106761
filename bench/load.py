"""A bounded HTTP load generator: client processes × threads, each thread with its own requests.Session.

Every thread gets a client (picklable: setup(session, base_url) -> state and
send(session, state, job, timeout) -> (outcome, detail)) and a fixed list of jobs, and stops at the
first of: its list done, or the hard deadline. Sign-in and other set-up happen before the clock
starts; then all threads of all processes start together. Only 127.0.0.1 is allowed, so a typo
cannot load someone else's server.
"""
import multiprocessing
import queue
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

SPAWN = multiprocessing.get_context("spawn")  # children start clean: no inherited DB connections


@dataclass
class LoadResult:
    """Per-request outcomes: (latency seconds, outcome), outcome ok, short, error or cut (by the time limit)."""

    samples: list = field(default_factory=list)
    wall_seconds: float = 0.0
    errors: list = field(default_factory=list)
    unfinished: int = 0  # never sent: the time limit came first

    def add(self, other: "LoadResult") -> None:
        """Fold another run of the same kind in (its wall time adds up, as the runs were one after the other)."""
        self.samples.extend(other.samples)
        self.wall_seconds += other.wall_seconds
        self.errors.extend(other.errors)
        self.unfinished += other.unfinished

    def count(self, outcome: str) -> int:
        """How many requests ended with this outcome."""
        return sum(1 for _, o in self.samples if o == outcome)

    def percentile_ms(self, percent: int, outcome: str = "ok") -> float:
        """Latency percentile in milliseconds of the requests with this outcome (nan when there are none)."""
        latencies = sorted(lat for lat, o in self.samples if o == outcome)
        if len(latencies) < 2:
            return latencies[0] * 1000 if latencies else float("nan")
        return statistics.quantiles(latencies, n=100, method="inclusive")[percent - 1] * 1000

    def per_second(self, outcome: str = "ok") -> float:
        """Requests with this outcome per second of wall time."""
        return self.count(outcome) / self.wall_seconds if self.wall_seconds else 0.0


def _thread(client, base_url, jobs, ready, start, deadline_box, out) -> None:
    session = requests.Session()
    try:
        state = client.setup(session, base_url)
    except Exception as error:  # reported, and the thread takes no part
        out.append(("setup-error", repr(error)))
        ready.wait()
        return
    ready.wait()
    start.wait()
    deadline = deadline_box[0]
    begun = time.monotonic()
    samples, unfinished = [], 0
    for index, job in enumerate(jobs):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            unfinished = len(jobs) - index
            break
        sent = time.perf_counter()
        try:
            outcome, detail = client.send(session, state, job, timeout=min(remaining, 30))
        except requests.Timeout as error:
            # Cut off by the hard limit: the server may still finish it, so it is neither ok nor refused.
            outcome, detail = ("cut", repr(error)) if time.monotonic() >= deadline else ("error", repr(error))
        except requests.RequestException as error:
            outcome, detail = "error", repr(error)
        samples.append((time.perf_counter() - sent, outcome))
        if outcome in ("error", "cut"):
            out.append((outcome, detail))
    out.append(("done", (begun, time.monotonic(), samples, unfinished)))
    session.close()


def _process(plans, base_url, ready_queue, start_event, results_queue, time_limit) -> None:
    out, threads = [], []
    ready = threading.Barrier(len(plans) + 1)
    start, deadline_box = threading.Event(), [0.0]
    for client, jobs in plans:
        thread = threading.Thread(target=_thread, args=(client, base_url, jobs, ready, start, deadline_box, out))
        thread.start()
        threads.append(thread)
    ready.wait()
    ready_queue.put(True)
    start_event.wait()
    deadline_box[0] = time.monotonic() + time_limit
    start.set()
    for thread in threads:
        thread.join()
    results_queue.put(out)


def _wait_ready(workers, ready_queue, seconds: float) -> None:
    """Wait for every process to have signed its clients in, failing fast if one of them died."""
    deadline, ready = time.monotonic() + seconds, 0
    while ready < len(workers):
        try:
            ready_queue.get(timeout=0.5)
            ready += 1
        except queue.Empty:
            if time.monotonic() > deadline or any(w.exitcode is not None for w in workers):
                raise


def run_load(plans: list[tuple], base_url: str, processes: int, time_limit: float) -> LoadResult:
    """Run [(client, jobs), ...] (one per client thread) over `processes` processes; returns the outcomes."""
    if urlsplit(base_url).hostname != "127.0.0.1":
        raise ValueError("the load generator only talks to 127.0.0.1")
    processes = max(1, min(processes, len(plans)))
    ready_queue, results_queue, start_event = SPAWN.Queue(), SPAWN.Queue(), SPAWN.Event()
    workers = [SPAWN.Process(target=_process, daemon=True,
                             args=(plans[p::processes], base_url, ready_queue, start_event, results_queue,
                                   time_limit)) for p in range(processes)]
    for worker in workers:
        worker.start()
    result = LoadResult()
    try:
        _wait_ready(workers, ready_queue, 120)
        start_event.set()
        began, ended = [], []
        for _ in workers:
            for kind, payload in results_queue.get(timeout=time_limit + 60):
                if kind == "done":
                    began.append(payload[0])
                    ended.append(payload[1])
                    result.samples.extend(payload[2])
                    result.unfinished += payload[3]
                else:
                    result.errors.append(f"{kind}: {payload}")
        result.wall_seconds = max(ended) - min(began) if ended else 0.0
    except queue.Empty:
        result.errors.append("load generator: a client process died or did not report in time")
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
    return result
