"""What every use case runs on: the opened registry (settings, database engine, key
store), the registry's own keys, its secrets file, and the reading of uploaded spreadsheets."""
