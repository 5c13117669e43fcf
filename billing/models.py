"""Rates, invoice runs, invoices, credit notes and payments (see the billing issue)."""
