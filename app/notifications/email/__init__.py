"""Email over plain SMTP, and a local sink for development."""
