"""Admin tests borrow the campaign tests' simulator fixtures (one place defines them)."""
from tests.campaigns.conftest import all_logs, connected, megaphone_server, platform_app, simulator  # noqa: F401
