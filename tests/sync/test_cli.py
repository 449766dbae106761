"""flask platforms connect and flask sync run: idempotent, one-line reasons, non-zero exit on failure."""
from app.platforms.models import PlatformConnection
from app.queues import SYNC, get_queue
from app.extensions import db
from tests.sync.helpers import assert_matches_platform, runs


def _connections():
    db.session.expire_all()
    return db.session.execute(db.select(PlatformConnection)).scalars().all()


def test_platforms_connect_creates_then_updates_in_place(runner, factory):
    factory.customer(code="ACME")
    args = ["platforms", "connect", "--customer", "acme", "--platform", "megaphone", "--org", "demo", "--token", "s3cret-token"]

    first = runner.invoke(args=args + ["--interval", "15"])
    second = runner.invoke(args=args[:-2] + ["--token", "new-token"])

    assert first.exit_code == 0, first.output
    assert first.output.strip() == "Connected ACME to Megaphone (organization demo, sync every 15 minutes)."
    assert second.exit_code == 0 and second.output.startswith("Updated the connection of ACME")
    [connection] = _connections()
    assert (connection.organization, connection.api_token, connection.sync_interval_minutes) == ("demo", "new-token", 15)
    assert "s3cret-token" not in first.output + second.output


def test_platforms_connect_bad_input_gives_one_line_and_non_zero(runner, factory):
    factory.customer(code="ACME")
    base = ["platforms", "connect", "--org", "demo", "--token", "t"]

    unknown_customer = runner.invoke(args=base + ["--customer", "NOPE", "--platform", "megaphone"])
    unknown_platform = runner.invoke(args=base + ["--customer", "ACME", "--platform", "myspace"])
    bad_interval = runner.invoke(args=base + ["--customer", "ACME", "--platform", "megaphone", "--interval", "1"])

    assert unknown_customer.exit_code == 1 and "No customer has the code 'NOPE'." in unknown_customer.output
    assert unknown_platform.exit_code == 1 and "Unknown platform 'myspace'; choose one of: megaphone." in unknown_platform.output
    assert bad_interval.exit_code == 1 and "Choose an interval from 5 to 10080 minutes." in bad_interval.output
    assert not _connections()


def test_sync_run_wait_syncs_in_process_and_prints_the_counts(runner, simulator, connection):
    simulator.seed(650, invalid=2)

    result = runner.invoke(args=["sync", "run", "--customer", "ACME", "--wait"])

    assert result.exit_code == 0, result.output
    [run] = runs()
    assert result.output.startswith(f"Run #{run.id} ACME/megaphone: succeeded — ")
    assert "650 inserted, 0 updated, 0 unchanged, 2 invalid skipped, 0 marked deleted" in result.output
    assert run.trigger == "cli" and run.job_id is None
    assert_matches_platform(connection, simulator)


def test_sync_run_wait_exits_non_zero_with_the_reason_when_the_run_fails(runner, simulator, connection):
    simulator.create_organization(simulator.org, "rotated-elsewhere")

    result = runner.invoke(args=["sync", "run", "--wait"])

    assert result.exit_code == 1
    assert ": failed — " in result.output
    assert "The ad platform rejected the API token. Check the connection's token." in result.output


def test_sync_run_without_wait_queues_the_job(runner, connection):
    result = runner.invoke(args=["sync", "run"])

    [run] = runs()
    assert result.exit_code == 0 and f"Run #{run.id} ACME/megaphone: a worker on the sync queue runs it." in result.output
    assert get_queue(SYNC).job_ids == [run.job_id]


def test_sync_run_bad_input(runner, factory):
    factory.customer(code="LONELY")

    unknown = runner.invoke(args=["sync", "run", "--customer", "NOPE", "--wait"])
    unconnected = runner.invoke(args=["sync", "run", "--customer", "lonely"])
    nothing = runner.invoke(args=["sync", "run"])

    assert unknown.exit_code == 1 and unknown.output.strip() == "Error: No customer has the code 'NOPE'."
    assert unconnected.exit_code == 1 and "Customer LONELY has no platform connection" in unconnected.output
    assert nothing.exit_code == 1 and "No enabled platform connection to sync" in nothing.output
    assert not runs()


def test_seed_demo_connects_acme_to_the_demo_organization_once(runner):
    runner.invoke(args=["seed", "demo"])
    runner.invoke(args=["seed", "demo"])

    [connection] = _connections()
    assert (connection.customer.code, connection.organization, connection.api_token) == ("ACME", "demo", "demo-token")


def test_sync_run_without_redis_prints_why_and_exits_non_zero(runner, app, connection):
    from app.redis_client import init_redis

    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # a closed port: nothing listens
    init_redis(app)

    result = runner.invoke(args=["sync", "run"])

    assert result.exit_code == 1, result.output
    assert "Could not queue the sync: the job queue (Redis) did not answer." in result.output
