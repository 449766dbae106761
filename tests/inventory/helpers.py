"""Helpers to build inventory rows through the real services."""
import itertools

from app.inventory import services

_numbers = itertools.count(1)


def make_item(sku=None, price="10.00", stock=0, name=None, threshold=0):
    """An inventory item with opening stock (a real movement)."""
    n = next(_numbers)
    return services.create_item(sku or f"ITEM-{n:04d}", name or f"Item {n}", price,
                                low_stock_threshold=threshold, opening_stock=stock)
