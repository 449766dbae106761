"""Inventory rules: unique SKUs, prices in cents, stock changed only through movements, never below zero."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.common.errors import ValidationError
from app.extensions import db
from app.inventory import services
from app.inventory.models import StockMovement
from tests.ledgers import assert_ledgers_add_up, stock_of


def test_opening_stock_is_the_first_movement(app):
    item = services.create_item("mug-1", "Mug", "4.5", opening_stock="12")
    assert item.sku == "MUG-1" and item.unit_price == Decimal("4.50") and stock_of(item) == 12
    movement = db.session.execute(select(StockMovement)).scalar_one()
    assert (movement.delta, movement.stock_after, movement.reason) == (12, 12, "Opening stock")


def test_duplicate_sku_is_refused_whatever_its_case(factory):
    factory.item(sku="MUG-1")
    with pytest.raises(ValidationError) as raised:
        services.create_item("mug-1", "Another mug", "3.00")
    assert raised.value.errors == {"sku": "Another item already has this SKU."}


def test_every_bad_field_is_named_at_once(app):
    with pytest.raises(ValidationError) as raised:
        services.create_item("bad sku!", "", "-1", low_stock_threshold="x", opening_stock="-4")
    assert set(raised.value.errors) == {"sku", "name", "unit_price", "low_stock_threshold", "opening_stock"}


def test_update_changes_details_but_never_stock(factory):
    item = factory.item(sku="TEE-1", stock=5)
    services.update_item(item, "tee-1", "Tee", "7.999", "cotton", "2")
    assert (item.name, item.unit_price, item.low_stock_threshold, stock_of(item)) == ("Tee", Decimal("8.00"), 2, 5)


def test_adjustments_move_stock_both_ways_with_a_reason(app, factory):
    user = factory.user("operator")
    item = factory.item(stock=5)
    assert services.adjust_stock(item.id, "+7", "Delivery", user.id) == 12
    assert services.adjust_stock(item.id, -12, "Stock count", user.id) == 0
    reasons = db.session.execute(select(StockMovement.reason, StockMovement.user_id).order_by(StockMovement.id)).all()
    assert reasons[1:] == [("Delivery", user.id), ("Stock count", user.id)]
    assert_ledgers_add_up()


def test_an_adjustment_cannot_take_stock_below_zero(factory):
    item = factory.item(stock=2)
    with pytest.raises(ValidationError) as raised:
        services.adjust_stock(item.id, -3, "Damaged")
    assert raised.value.errors == {"delta": "Only 2 in stock: you cannot remove 3."}
    assert stock_of(item) == 2


@pytest.mark.parametrize("delta, reason, field", [("0", "x", "delta"), ("1.5", "x", "delta"), ("", "x", "delta"),
                                                  ("5", "", "reason"), ("5", "r" * 201, "reason")])
def test_bad_adjustments_are_refused(factory, delta, reason, field):
    item = factory.item(stock=2)
    with pytest.raises(ValidationError) as raised:
        services.adjust_stock(item.id, delta, reason)
    assert field in raised.value.errors


def test_archive_and_restore(factory):
    one, two = factory.item(), factory.item()
    assert services.set_items_archived([one.id, two.id], True) == 2
    assert services.set_items_archived([one.id, two.id], True) == 0
    assert services.set_items_archived([one.id], False) == 1
