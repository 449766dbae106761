"""Inventory: items with a price and stock on hand, and the stock ledger that explains every unit."""
