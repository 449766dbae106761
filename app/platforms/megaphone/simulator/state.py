"""Where a simulator app keeps its store and fault settings."""

from dataclasses import dataclass

from flask import Flask, current_app

from app.platforms.megaphone.simulator.faults import Faults
from app.platforms.megaphone.simulator.store import Store

EXTENSION_KEY = "megaphone_simulator"


@dataclass
class SimulatorState:
    """One simulator's data and faults; each app gets its own."""

    store: Store
    faults: Faults

    def reset(self) -> None:
        """Drop all data, the request log and every fault."""
        self.store.reset()
        self.faults.reset()


def simulator_state(app: Flask | None = None) -> SimulatorState:
    """The state of the given app, or of the app handling the current request."""
    return (app or current_app).extensions[EXTENSION_KEY]
