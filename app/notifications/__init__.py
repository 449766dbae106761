"""Notifications to clients: the SMS provider client and simulator, and the SMTP sender."""
