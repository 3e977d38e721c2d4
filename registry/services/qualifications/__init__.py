"""Qualification-equivalence catalogues (比照认定目录): imported as new versions from CSV
or XLSX, read back, and the issuance rule of equivalence records that needs them."""
