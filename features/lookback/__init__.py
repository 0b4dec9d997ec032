"""Look-back keys: the exact lookup keys a stored application or entry is indexed under, so
that a new fact in the trafficking database finds the earlier cases it concerns by index.

See ``docs/follow-ups.md``. The look-back itself (which reads the service's tables) is in
``service/lookback``; this package holds only pure functions of a record, shared by the store
that writes the keys and the probes that read them.
"""

from mizugiwa.features.lookback.keys import (
    KEY_KINDS,
    CaseKey,
    case_keys,
    organisation_name_key,
    phone_keys,
)

__all__ = ["KEY_KINDS", "CaseKey", "case_keys", "organisation_name_key", "phone_keys"]
