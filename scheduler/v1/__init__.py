"""Generated gRPC code for package scheduler.v1 (never edit)."""
