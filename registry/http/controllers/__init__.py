"""Controllers, one module per audience."""
