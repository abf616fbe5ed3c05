"""The reviewer's memory in the window: read marks, notes and follow-ups (desktop.review underneath)."""
