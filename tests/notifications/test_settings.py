"""The notification settings: development defaults, and a clear ConfigError for each unusable value."""

import pytest

from app.config import ConfigError, load_config


def test_development_defaults_point_at_the_local_sink_and_simulator():
    config = load_config({})
    assert config["SMTP_URL"] == "smtp://127.0.0.1:1025"
    assert config["SMS_BASE_URL"] == "http://127.0.0.1:5056"
    assert (config["SMS_ACCOUNT_SID"], config["SMS_FROM"]) == ("AC0123", "+15550001111")
    assert config["MAIL_FROM"] and config["SMS_AUTH_TOKEN"] and config["OMS_PUBLIC_URL"]


def test_values_from_the_environment_win_and_lose_their_trailing_slash():
    config = load_config({"SMTP_URL": "smtps://u:p@mail.example.com", "MAIL_FROM": "Shop <shop@example.com>",
                          "SMS_BASE_URL": "https://sms.example.com/", "SMS_ACCOUNT_SID": "AC99",
                          "SMS_AUTH_TOKEN": "t0k", "SMS_FROM": "+442071234567",
                          "OMS_PUBLIC_URL": "https://oms.example.com/"})
    assert config["SMS_BASE_URL"] == "https://sms.example.com"
    assert config["OMS_PUBLIC_URL"] == "https://oms.example.com"
    assert (config["SMTP_URL"], config["SMS_AUTH_TOKEN"], config["SMS_FROM"]) == (
        "smtps://u:p@mail.example.com", "t0k", "+442071234567")


@pytest.mark.parametrize(("name", "value"), [
    ("SMTP_URL", "http://mail.example.com"),
    ("SMTP_URL", "smtp://mail.example.com?starttls=perhaps"),
    ("MAIL_FROM", "not an address"),
    ("SMS_BASE_URL", "127.0.0.1:5056"),
    ("SMS_BASE_URL", "http://127.0.0.1:99999"),
    ("SMS_ACCOUNT_SID", "AC/../x"),
    ("SMS_FROM", "5550001111"),
    ("SMS_FROM", "+1555000111１"),  # a full-width digit
    ("OMS_PUBLIC_URL", "oms.example.com"),
    ("OMS_PUBLIC_URL", "https://oms.example.com/?next=x"),
])
def test_an_unusable_value_stops_the_start_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})
