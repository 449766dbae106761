"""load_config: the sync tunables are read once, typed and checked, with the documented defaults."""
import pytest

from app.config import ConfigError, load_config


def test_sync_settings_default_to_the_documented_values():
    config = load_config({})
    assert {name: config[name] for name in config if name.startswith("SYNC_")} == {
        "SYNC_LOCK_TTL_SECONDS": 180.0, "SYNC_PAGE_SIZE": 500, "SYNC_WRITERS": 2, "SYNC_VERIFY_BY_GET_LIMIT": 25,
        "SYNC_RECENT_SECONDS": 120.0, "SYNC_JOB_TIMEOUT_SECONDS": 3600}


def test_sync_settings_come_from_the_environment_typed():
    config = load_config({"SYNC_WRITERS": "3", "SYNC_LOCK_TTL_SECONDS": "2.5"})
    assert (config["SYNC_WRITERS"], config["SYNC_LOCK_TTL_SECONDS"]) == (3, 2.5)


@pytest.mark.parametrize(("name", "value"), [("SYNC_WRITERS", "0"), ("SYNC_PAGE_SIZE", "1.5"),
                                             ("SYNC_RECENT_SECONDS", "-1"), ("SYNC_JOB_TIMEOUT_SECONDS", "soon")])
def test_a_bad_sync_setting_stops_the_start_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})
