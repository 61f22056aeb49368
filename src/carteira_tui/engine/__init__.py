"""The engine: pure Polars computations (frames and settings in, frames out)."""
