"""Accounts, contacts, Tenure users (the CSM roster), tickets and notes."""
