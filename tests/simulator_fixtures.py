"""The Megaphone simulator for tests: one server thread per session, reset for every test that asks for it.

`simulator` is the one fixture tests use; `platform_app` points the test app at it with short platform
limits, and `connected` adds a customer connected to it.
"""
import threading

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from app.platforms.megaphone.client import MegaphoneClient
from app.platforms.megaphone.simulator import create_simulator

SIM_ORG = "acme"
SIM_TOKEN = "acme-s3cret-token-7d1f"
# Short limits so the slow and failing platform paths take a second, not a minute.
FAST_PLATFORM_SETTINGS = {"MEGAPHONE_CONNECT_TIMEOUT": 0.5, "MEGAPHONE_READ_TIMEOUT": 0.5,
                          "MEGAPHONE_MAX_RETRY_SECONDS": 1.5}


class _QuietRequestHandler(WSGIRequestHandler):
    """Keeps one access-log line per request out of the test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class SimulatorControl:
    """A running simulator: its URLs, its /_sim controls, raw API calls and ready clients."""

    def __init__(self, root_url: str):
        self.root_url = root_url
        self.api_url = f"{root_url}/api"
        self.org, self.token = SIM_ORG, SIM_TOKEN
        self.http = requests.Session()

    def control(self, method: str, path: str, body: dict | None = None) -> object:
        """Call a /_sim endpoint and return its JSON, failing the test on an error status."""
        response = self.http.request(method, f"{self.root_url}/_sim{path}", json=body, timeout=60)
        assert response.ok, f"/_sim{path} answered {response.status_code}: {response.text}"
        return response.json()

    def reset(self) -> None:
        """Drop all data and faults, then create the default organization."""
        self.control("POST", "/reset")
        self.create_organization(self.org, self.token)

    def create_organization(self, org: str, token: str) -> None:
        """Create (or re-token) an organization."""
        self.control("POST", "/organizations", {"id": org, "token": token})

    def seed(self, count: int, *, invalid: int = 0, org: str | None = None) -> dict:
        """Add random valid (and optionally broken) campaigns."""
        return self.control("POST", f"/organizations/{org or self.org}/seed",
                            {"count": count, "invalid": invalid})

    def mutate(self, *, org: str | None = None, **counts: int) -> dict:
        """Update/delete/create random campaigns (after_requests=N defers it)."""
        return self.control("POST", f"/organizations/{org or self.org}/mutate", counts)

    def set_faults(self, **settings: object) -> dict:
        """Change any subset of error_rate, latency_ms, fail_next and the rate limit."""
        return self.control("POST", "/faults", settings)

    def request_log(self) -> list[dict]:
        """The API requests served since the last reset, oldest first."""
        return self.control("GET", "/requests")

    def campaigns(self, org: str | None = None) -> list[dict]:
        """Every stored campaign, raw and unpaged."""
        return self.control("GET", f"/organizations/{org or self.org}/campaigns")

    def insert_campaign(self, raw: dict, org: str | None = None) -> dict:
        """Store a record verbatim, e.g. a broken one or one whose create reply was lost."""
        return self.control("POST", f"/organizations/{org or self.org}/campaigns", raw)

    def api(self, method: str, path: str, *, token: str | None = "default", **kwargs) -> requests.Response:
        """A raw contract call, e.g. api("GET", "/organizations/acme/campaigns")."""
        headers = kwargs.pop("headers", {})
        token = self.token if token == "default" else token
        if token is not None:
            headers["Authorization"] = f'Token token="{token}"'
        return self.http.request(method, f"{self.api_url}{path}", headers=headers, timeout=30, **kwargs)

    def client(self, **options: object) -> MegaphoneClient:
        """A client for the default organization with short timeouts suited to tests."""
        settings = {"organization": self.org, "token": self.token, "connect_timeout": 1.0,
                    "read_timeout": 2.0, "max_retry_seconds": 15.0, **options}
        return MegaphoneClient(self.api_url, **settings)


@pytest.fixture(scope="session")
def simulator_server():
    """The simulator in a threaded server on an ephemeral 127.0.0.1 port, for the session (use `simulator`)."""
    server = make_server("127.0.0.1", 0, create_simulator(), threaded=True,
                         request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="megaphone-simulator", daemon=True)
    thread.start()
    yield SimulatorControl(f"http://127.0.0.1:{server.port}")
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def simulator(simulator_server) -> SimulatorControl:
    """The simulator, reset, with organization SIM_ORG (simulator.org) whose token is SIM_TOKEN (simulator.token)."""
    simulator_server.reset()
    return simulator_server


@pytest.fixture
def platform_app(app, simulator):
    """The test app pointed at the simulator, with short platform timeouts."""
    app.config.update(MEGAPHONE_BASE_URL=simulator.api_url, **FAST_PLATFORM_SETTINGS)
    return app


@pytest.fixture
def connected(platform_app, factory, simulator):
    """Customer ACME connected to the simulator's default organization."""
    return factory.connection(simulator, "ACME")
