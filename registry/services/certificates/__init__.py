"""Printable certificates: what a record's certificate says (``content``), one sealed PDF
for its issuer or its holder (``printing``), and a review session's PDFs as one ZIP
(``sessions``). Rendering and sealing are ``registry.render.certificate``'s."""
