"""Git repositories as note sources: sync, webhooks, links back."""
