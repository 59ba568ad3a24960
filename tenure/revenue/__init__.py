"""Contract lines, ARR timeline, movements and renewals."""
