"""Run gunicorn as a child process for a benchmark: start it, wait for /healthz, always stop it."""
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(path: str, lines: int = 30) -> str:
    with open(path, errors="replace") as log:
        return "".join(log.readlines()[-lines:])


@contextmanager
def gunicorn(wsgi_app: str, env: dict, workers: int, threads: int, log_path: str, ready_seconds: float = 60):
    """Serve `wsgi_app` with gunicorn (gthread) on 127.0.0.1; yields the base URL; stops it on the way out."""
    port = free_port()
    command = [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", str(workers), "-k", "gthread",
               "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5",
               "--log-level", "warning", wsgi_app]
    with open(log_path, "w") as log:
        # Its own process group, so the master and its workers can be stopped together, and only them.
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(server, base_url, log_path, ready_seconds)
        yield base_url
    finally:
        _stop(server)


def _wait_ready(server, base_url: str, log_path: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{_tail(log_path)}")
        try:
            if requests.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds:.0f} s:\n{_tail(log_path)}")


def _stop(server) -> None:
    """SIGTERM to the master (it stops its workers), then SIGKILL to its process group if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # workers left behind by a master that died
    except ProcessLookupError:
        pass
    server.wait(timeout=5)
