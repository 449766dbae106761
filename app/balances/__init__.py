"""Customer balances: every change of a customer's balance is a row in its ledger."""
