"""flask seed demo: demo logins and customers for trying OMS out; safe to run twice."""
import click
from flask.cli import AppGroup

from app.auth import services as auth_services
from app.balances import services as balance_services
from app.customers import services as customer_services
from app.inventory import services as inventory_services
from app.notifications import services as notification_services
from app.platforms import services as platform_services

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

DEMO_ITEMS = (  # sku, name, unit price, opening stock, low-stock threshold
    ("MUG-BLUE", "Blue enamel mug", "4.50", 120, 20),
    ("TEE-LOGO-M", "Logo T-shirt, medium", "12.00", 60, 10),
    ("TEE-LOGO-L", "Logo T-shirt, large", "12.00", 8, 10),
    ("CAP-NAVY", "Navy cap", "9.75", 40, 5),
    ("TOTE-CANVAS", "Canvas tote bag", "6.20", 200, 25),
    ("STICKER-PACK", "Sticker pack (10)", "2.00", 500, 50),
)
DEMO_DEPOSIT = ("1000.00", "Demo opening deposit")


def seed_demo_inventory_and_balances() -> None:
    """Demo items with opening stock, and one opening deposit per demo customer; safe to run twice."""
    for sku, name, price, stock, threshold in DEMO_ITEMS:
        if inventory_services.find_item_by_sku(sku) is None:
            inventory_services.create_item(sku, name, price, low_stock_threshold=threshold, opening_stock=stock)
    amount, reason = DEMO_DEPOSIT
    for code, *_ in DEMO_CUSTOMERS:
        customer = customer_services.find_customer_by_code(code)
        if not balance_services.has_ledger_entry(customer.id, reason):
            balance_services.record_deposit(customer.id, amount, reason)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create whatever demo rows are missing; returns the demo logins as (role, email, password)."""
    for code, name, email, phone in DEMO_CUSTOMERS:
        if customer_services.find_customer_by_code(code) is None:
            customer_services.create_customer(code, name, email, phone)
    for email, password, role, customer_code in DEMO_LOGINS:
        if auth_services.find_user_by_email(email) is None:
            customer = customer_services.find_customer_by_code(customer_code) if customer_code else None
            auth_services.create_user(email, password, role, name=role.capitalize() + " (demo)", customer=customer)
    # Matches the simulator `make run` starts: --org demo --token demo-token.
    acme, megaphone = customer_services.find_customer_by_code("ACME"), platform_services.find_platform("megaphone")
    if platform_services.find_connection(acme.id, megaphone.id) is None:
        platform_services.save_connection(acme, megaphone, "demo", "demo-token", interval_minutes=60)
    # An email and a phone, so an order placed in the demo visibly produces deliveries (sink and simulator).
    notification_services.add_contact_point(acme.id, "email", "ops@acme.example", "Operations")
    notification_services.add_contact_point(acme.id, "sms", "+44 20 7946 0001", "Mobile")
    seed_demo_inventory_and_balances()
    return [(role, email, password) for email, password, role, _ in DEMO_LOGINS]


@seed_cli.command("demo")
def seed_demo_command():
    """Create the demo logins and customers (idempotent) and print the logins."""
    logins = seed_demo()
    click.echo("Demo data ready. Sign in with:")
    for role, email, password in logins:
        click.echo(f"  {role:<9} {email} / {password}")
