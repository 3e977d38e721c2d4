"""Pure domain: records, canonical JSON, proofs, QR container, identifiers, verification.

Nothing here imports web, database or image code; time comes in as an argument. Wire
formats (``formats``) sit apart from the domain rules (``records``, ``recordtypes``,
``people``, ``trust``, ``recognition``, ``qualifications``, ``lifecycle``,
``verification``, ``trustlists``); ``errors``, ``codes``, ``checks`` and ``resources`` are
the vocabulary every package shares.
"""
