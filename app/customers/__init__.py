"""Customers: the client companies whose campaigns and orders OMS manages."""
