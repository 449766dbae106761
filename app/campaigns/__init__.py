"""Customers' ad campaigns, mirrored from the ad platforms (which stay the source of truth)."""
