"""Use cases: core rules combined with the store and the key store, one transaction each.

Grouped by capability (``issuance``, ``lifecycle``, ``verification``, ``partners``,
``authority``, ``recognition``, ``qualifications``, ``trust``, ``transparency``,
``people``, ``records``, ``access``) over what they all run on (``runtime``). The demo
data is not here: it lives in ``registry.demo``.
"""
