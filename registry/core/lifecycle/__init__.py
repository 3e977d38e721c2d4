"""What happens to a record, an issuer or a key: the allowed status changes and their
reasons, and the events the transparency log records about them."""
