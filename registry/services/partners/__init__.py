"""What partner regions ask: checks of a record with their purpose logged, the partner-only
facts of a record, batch verification, and a person's continuing-education hour totals."""
