"""The Qt adapter: a background indexer, item models over the cache, and the widgets."""
