"""Run the simulator: python -m app.platforms.megaphone.simulator --org demo --token demo-token --seed 250."""

import argparse
import os

from werkzeug.serving import run_simple

from app.platforms.megaphone.simulator import create_simulator, simulator_state
from app.platforms.megaphone.simulator.persistence import load_state, save_after_writes, save_state


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, checked."""
    parser = argparse.ArgumentParser(prog="python -m app.platforms.megaphone.simulator",
                                     description="Megaphone-style ad platform simulator.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (keep 127.0.0.1: the /_sim controls have no auth)")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--org", help="organization to create at start")
    parser.add_argument("--token", help="API token of --org")
    parser.add_argument("--seed", type=int, default=0,
                        help="random campaigns to add to --org (with --state: only while it has none)")
    parser.add_argument("--rate-limit", type=int, default=60,
                        help="requests per minute per token (0 turns the limit off)")
    parser.add_argument("--state", help="JSON file that keeps the data across restarts (read at start, "
                                        "written after every change)")
    args = parser.parse_args(argv)
    if args.org and not args.token:
        parser.error("--org needs --token")
    if args.seed and not args.org:
        parser.error("--seed needs --org")
    return args


def build_simulator(args: argparse.Namespace):
    """The simulator app with its saved state, organization and seed."""
    app = create_simulator(rate_limit_per_minute=args.rate_limit)
    if args.state:
        os.makedirs(os.path.dirname(os.path.abspath(args.state)), exist_ok=True)
        load_state(app, args.state)
    if args.org:
        store = simulator_state(app).store
        store.upsert_organization(args.org, args.token)
        # A restart with --state must not seed a second batch (the OMS list would show both).
        if not (args.state and store.all_campaigns(args.org)):
            store.seed(args.org, args.seed)
    if args.state:
        save_state(app, args.state)
        save_after_writes(app, args.state)
    return app


def main(argv: list[str] | None = None) -> None:
    """Parse the options, build the simulator, then serve until interrupted."""
    args = parse_args(argv)
    app = build_simulator(args)
    print(f"Megaphone simulator: base URL http://{args.host}:{args.port}/api", flush=True)
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
