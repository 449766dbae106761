"""The simulator's state file: `make run` restarts find the same organizations and campaigns."""

import json
import os

from flask import request

from app.platforms.megaphone.simulator.state import simulator_state


def load_state(app, path: str) -> None:
    """Restore the store from the file, if there is one."""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            simulator_state(app).store.restore(json.load(file))


def save_state(app, path: str) -> None:
    """Write the store to the file atomically (a crash mid-write leaves the previous file)."""
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(simulator_state(app).store.snapshot(), file)
    os.replace(temporary, path)


def save_after_writes(app, path: str) -> None:
    """Save after every successful write request, so even a kill -9 loses nothing (dev-sized data)."""

    @app.after_request
    def _save(response):
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            save_state(app, path)
        return response
