"""Storage: SQLAlchemy models, the engine with its SQLite pragmas, and the migration runner."""
