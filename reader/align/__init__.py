"""Alignment: the evidence between sentences (prepare) and the facts it groups them into (group)."""
