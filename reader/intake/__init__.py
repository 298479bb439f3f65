"""Intake: a source (file, page, URL, paste) becomes an Article.

Decoded, cleaned, its outlet named, split into sentences.
"""
