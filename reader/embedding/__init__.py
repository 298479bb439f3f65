"""Embedding: sentence vectors from all-MiniLM-L6-v2, in process or in a child process, through a disk cache."""
