"""Orders: customers' orders of inventory items, placed atomically and moved through one lifecycle."""
