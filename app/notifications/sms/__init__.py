"""SMS through the Twilio-shaped provider contract of docs sms-api.md (client, signatures, simulator)."""
