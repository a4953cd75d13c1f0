"""A profile service that reads users from a repository and caches their payloads."""
