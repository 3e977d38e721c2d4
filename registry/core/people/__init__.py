"""Personal data and the identifiers that name people and organisations (PIPL): ID numbers
and USCCs with their check characters (GB 11643, GB 32100, ISO/IEC 7064), passports, the
personal numbers inside a record subject, masking, keyed digests and sealing at rest."""
