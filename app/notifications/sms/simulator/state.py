"""Where a simulator app keeps its store, faults and callback dispatcher."""

import random
from dataclasses import dataclass

from flask import Flask, current_app

from app.notifications.sms.simulator.callbacks import Dispatcher
from app.notifications.sms.simulator.faults import Faults
from app.notifications.sms.simulator.store import Store

EXTENSION_KEY = "sms_simulator"


@dataclass
class SimulatorState:
    """One simulator's data, faults and callbacks; each app gets its own."""

    store: Store
    faults: Faults
    dispatcher: Dispatcher
    rng: random.Random  # shared by sids and error_rate, so a seed makes a run repeatable

    def reset(self, seed: int | None = None) -> None:
        """Back to the start-up accounts with no messages, faults or callback log (re-seeded if given)."""
        if seed is not None:
            self.rng.seed(seed)
        self.store.reset()
        self.faults.reset()
        self.dispatcher.reset()


def simulator_state(app: Flask | None = None) -> SimulatorState:
    """The state of the given app, or of the app handling the current request."""
    return (app or current_app).extensions[EXTENSION_KEY]
