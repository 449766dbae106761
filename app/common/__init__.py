"""Pieces every domain shares: model mixins, list-page machinery, htmx helpers."""
