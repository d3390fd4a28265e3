"""The law as pure functions: no Flask, no SQLAlchemy. The year's settings come in
as plain values; the app, SQL checks and the engine build on these definitions."""
