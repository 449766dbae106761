"""CLI commands: idempotent where that makes sense, a one-line reason and non-zero exit on bad input."""
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db


def test_customers_create_is_idempotent(runner):
    first = runner.invoke(args=["customers", "create", "--code", "acme", "--name", "Acme"])
    second = runner.invoke(args=["customers", "create", "--code", "ACME", "--name", "Acme"])
    assert first.exit_code == 0 and "Created customer ACME" in first.output
    assert second.exit_code == 0 and "already exists" in second.output
    assert db.session.execute(db.select(db.func.count(Customer.id))).scalar() == 1


def test_customers_create_bad_input_exits_non_zero(runner):
    result = runner.invoke(args=["customers", "create", "--code", "!", "--name", ""])
    assert result.exit_code != 0 and "Error:" in result.output


def test_users_create_with_customer(runner):
    runner.invoke(args=["customers", "create", "--code", "ACME", "--name", "Acme"])
    result = runner.invoke(args=["users", "create", "--email", "c@acme.example", "--password", "long-enough-1",
                                 "--role", "customer", "--customer", "acme"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.customer.code == "ACME" and user.check_password("long-enough-1")


def test_users_create_bad_input(runner):
    unknown_customer = runner.invoke(args=["users", "create", "--email", "c@x.example", "--password", "long-enough-1",
                                           "--role", "customer", "--customer", "NOPE"])
    short_password = runner.invoke(args=["users", "create", "--email", "a@x.example", "--password", "short", "--role", "admin"])
    bad_role = runner.invoke(args=["users", "create", "--email", "a@x.example", "--password", "long-enough-1", "--role", "root"])
    for result in (unknown_customer, short_password, bad_role):
        assert result.exit_code != 0
    assert "no customer with code 'NOPE'" in unknown_customer.output
    assert db.session.execute(db.select(User)).first() is None


def test_seed_demo_twice_creates_no_duplicates(runner):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    assert "admin@oms.example / admin-demo-123" in first.output
    counts = (db.session.execute(db.select(db.func.count(User.id))).scalar(),
              db.session.execute(db.select(db.func.count(Customer.id))).scalar())
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert (db.session.execute(db.select(db.func.count(User.id))).scalar(),
            db.session.execute(db.select(db.func.count(Customer.id))).scalar()) == counts
