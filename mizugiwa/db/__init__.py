"""The database at the bottom of the layers: engines, the declarative base, migrations."""
