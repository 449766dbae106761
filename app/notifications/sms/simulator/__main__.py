"""Run the simulator: python -m app.notifications.sms.simulator --account AC0123 --token T --from +15550001111."""

import argparse

from werkzeug.serving import run_simple

from app.notifications.sms.numbers import is_e164
from app.notifications.sms.simulator import Account, create_simulator
from app.notifications.sms.simulator.api import is_absolute_url


def main(argv: list[str] | None = None) -> None:
    """Parse the options, create the account, then serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m app.notifications.sms.simulator",
                                     description="SMS provider simulator (sms-api.md).")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (keep 127.0.0.1: the /_sim controls have no auth)")
    parser.add_argument("--port", type=int, default=5056)
    parser.add_argument("--account", help="account sid to create at start, e.g. AC0123")
    parser.add_argument("--token", help="auth token of --account")
    parser.add_argument("--from", dest="from_number", action="append", default=[],
                        help="a sender number of --account in E.164 (repeatable)")
    parser.add_argument("--inbound-url", help="where replies to the account's numbers are POSTed")
    parser.add_argument("--seed", type=int, help="seed for message sids and random faults")
    parser.add_argument("--manual", action="store_true",
                        help="send status callbacks only when /_sim asks (default: right after each send)")
    args = parser.parse_args(argv)
    if args.account and not (args.token and args.from_number):
        parser.error("--account needs --token and --from")
    if any(not is_e164(number) for number in args.from_number):
        parser.error("--from must be E.164: + and 8 to 15 digits")
    if args.inbound_url and not is_absolute_url(args.inbound_url):
        parser.error("--inbound-url must be an absolute http(s) URL")

    accounts = [Account(args.account, args.token, set(args.from_number), args.inbound_url)] if args.account else []
    app = create_simulator(accounts=accounts, seed=args.seed, auto_deliver=not args.manual)
    print(f"SMS simulator: SMS_BASE_URL=http://{args.host}:{args.port}", flush=True)
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
