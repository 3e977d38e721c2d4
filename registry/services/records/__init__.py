"""Issued records read back (the credential for its issuer, the QR for anyone) and the
public wire forms of a record, an issuer and a verification answer."""
