"""The PySide6 desktop reader. It only displays what ``reader`` computes."""
