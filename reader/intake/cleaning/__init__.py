"""Cleaning: a page is cut into blocks and stripped to the article; every removal kept with its reason."""
