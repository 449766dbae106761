"""Authentication, roles and per-customer data scoping."""
