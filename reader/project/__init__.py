"""Projects: the .parallax file, autosave and recovery, recent files, and notes."""
