"""Database helpers shared by the apps: append-only tables (`append_only`)."""
