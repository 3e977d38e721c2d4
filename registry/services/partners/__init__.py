"""What partner regions ask: checks of a record with their purpose logged, the partner-only
facts of a record, and batch verification."""
