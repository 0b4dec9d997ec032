"""Look-back and follow-up: see ``docs/follow-ups.md``."""
