"""The reviewer's own data (read marks, notes, follow-ups): never cache, never discarded. No Qt."""
