"""Protecting the records in the app: passphrase at start, damage, backups, retention, lock."""
