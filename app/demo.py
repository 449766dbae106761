"""flask seed demo: demo logins and customers for trying OMS out; safe to run twice."""
import click
from flask.cli import AppGroup

from app.auth import services as auth_services
from app.customers import services as customer_services

seed_cli = AppGroup("seed", help="Load demo data.")

DEMO_LOGINS = (
    ("admin@oms.example", "admin-demo-123", "admin", None),
    ("operator@oms.example", "operator-demo-123", "operator", None),
    ("acme@oms.example", "customer-demo-123", "customer", "ACME"),
)
DEMO_CUSTOMERS = (
    ("ACME", "Acme Coffee Roasters", "ops@acme.example", "+44 20 7946 0001"),
    ("GLOBEX", "Globex Corporation", "media@globex.example", "+1 555 0100"),
    ("INITECH", "Initech", "marketing@initech.example", None),
    ("UMBRELLA", "Umbrella Health", "ads@umbrella.example", "+1 555 0199"),
    ("STARK", "Stark Outdoor", "hello@stark.example", None),
    ("WAYNE", "Wayne Books", "promo@wayne.example", "+1 555 0142"),
)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create whatever demo rows are missing; returns the demo logins as (role, email, password)."""
    for code, name, email, phone in DEMO_CUSTOMERS:
        if customer_services.find_customer_by_code(code) is None:
            customer_services.create_customer(code, name, email, phone)
    for email, password, role, customer_code in DEMO_LOGINS:
        if auth_services.find_user_by_email(email) is None:
            customer = customer_services.find_customer_by_code(customer_code) if customer_code else None
            auth_services.create_user(email, password, role, name=role.capitalize() + " (demo)", customer=customer)
    return [(role, email, password) for email, password, role, _ in DEMO_LOGINS]


@seed_cli.command("demo")
def seed_demo_command():
    """Create the demo logins and customers (idempotent) and print the logins."""
    logins = seed_demo()
    click.echo("Demo data ready. Sign in with:")
    for role, email, password in logins:
        click.echo(f"  {role:<9} {email} / {password}")
