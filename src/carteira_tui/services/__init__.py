"""Services: one function per user action; the only place the engine meets the store."""
