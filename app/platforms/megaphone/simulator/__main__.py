"""Run the simulator: python -m app.platforms.megaphone.simulator --org demo --token demo-token --seed 250."""

import argparse

from werkzeug.serving import run_simple

from app.platforms.megaphone.simulator import create_simulator, simulator_state


def main(argv: list[str] | None = None) -> None:
    """Parse the options, create and seed the organization, then serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m app.platforms.megaphone.simulator",
                                     description="Megaphone-style ad platform simulator.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (keep 127.0.0.1: the /_sim controls have no auth)")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--org", help="organization to create at start")
    parser.add_argument("--token", help="API token of --org")
    parser.add_argument("--seed", type=int, default=0, help="random campaigns to add to --org")
    parser.add_argument("--rate-limit", type=int, default=60,
                        help="requests per minute per token (0 turns the limit off)")
    args = parser.parse_args(argv)
    if args.org and not args.token:
        parser.error("--org needs --token")
    if args.seed and not args.org:
        parser.error("--seed needs --org")

    app = create_simulator(rate_limit_per_minute=args.rate_limit)
    if args.org:
        store = simulator_state(app).store
        store.upsert_organization(args.org, args.token)
        store.seed(args.org, args.seed)
    print(f"Megaphone simulator: base URL http://{args.host}:{args.port}/api", flush=True)
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
