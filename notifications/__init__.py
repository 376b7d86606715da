"""Outbox of messages to residents and officers, written in the same transaction as the change."""
