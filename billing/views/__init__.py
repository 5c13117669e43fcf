"""Billing pages for the treasurer, one module per subject: overview, rates, runs, invoices, payments, bank files, references.

Writes are POST-only function views that call one service and redirect with a message; a
BillingError is shown beside the form. Every object reached through a URL must belong to the
user's current cooperation (404 otherwise).
"""
