"""Differences: figures, names, quotes, claims and wording compared outlet by outlet, and the figures they agree on."""
