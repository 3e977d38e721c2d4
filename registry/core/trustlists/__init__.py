"""Verifying away from the registry: the signed trust list (written, and read strictly),
trust sources built from trust lists, and status sources built from fetched status lists."""
