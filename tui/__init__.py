"""The Textual app: screens, widgets, export and the command line."""
