"""The SQLite store: schema, migrations, reads and writes. The only place SQL is written."""
