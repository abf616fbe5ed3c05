"""Qt item models over the cache."""
