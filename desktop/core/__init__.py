"""Pure-Python heart of Weekly Review: reading, parsing and comparing reports. Never imports Qt."""
