"""Wire formats, with no domain knowledge: RFC 8785 canonical JSON, Data Integrity proofs
(eddsa-jcs-2022), COSE_Sign1, the QR container text, Multikey and Multibase, Bitstring
Status Lists, RFC 9162 Merkle hashing, signed tree heads and timestamps."""
