"""The simulator keeps its data in a state file, so restarting `make run` shows the same campaigns."""
from app.platforms.megaphone.simulator import simulator_state
from app.platforms.megaphone.simulator.__main__ import build_simulator, parse_args

AUTH = {"Authorization": 'Token token="demo-token"'}
CAMPAIGN = {"title": "Kept Promo", "advertiserName": "Acme", "startDate": "2026-01-01", "status": "active"}


def start(state_file):
    return build_simulator(parse_args(["--org", "demo", "--token", "demo-token", "--seed", "5",
                                       "--state", str(state_file)]))


def test_a_restart_keeps_the_campaigns_and_does_not_seed_again(tmp_path):
    state_file = tmp_path / "instance" / "megaphone-simulator.json"
    first = start(state_file)
    created = first.test_client().post("/api/organizations/demo/campaigns", json=CAMPAIGN, headers=AUTH)
    assert created.status_code == 201, created.get_data(as_text=True)
    before = simulator_state(first).store.all_campaigns("demo")

    second = start(state_file)

    after = simulator_state(second).store.all_campaigns("demo")
    assert len(after) == 6 and after == before
    listed = second.test_client().get("/api/organizations/demo/campaigns?per_page=100", headers=AUTH).get_json()
    assert created.get_json()["id"] in {c["id"] for c in listed}


def test_without_a_state_file_each_start_seeds_afresh(tmp_path):
    args = parse_args(["--org", "demo", "--token", "demo-token", "--seed", "3"])
    assert len(simulator_state(build_simulator(args)).store.all_campaigns("demo")) == 3
