"""Scheduled and manual syncs that upsert each connection's platform campaigns."""
