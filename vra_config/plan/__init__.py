"""The plan as read: YAML with marks (`loader`) checked into a typed `Plan` (`model`), and the
findings every stage reports against it (`findings`, `rules`, `accept`)."""
