"""Widgets of the main window; each gets its model in __init__ and subscribes to it."""
