"""E-mail: per-member settings, an outbox written with the news, and a worker that sends it."""
