"""The one way a model is loaded: a scorer file read, checked and ready to score.

The registry (``mizugiwa score``, the service), the service's local cache of the last champion
and the MLflow pyfunc (``mlflow models serve``, ``mlflow.pyfunc.load_model``) all read the same
pickled :class:`~mizugiwa.models.scorer.Scorer` with :func:`load_scorer_file`, so every way in
refuses a model trained on other indicators or other feature code in the same words.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from mizugiwa.models.scorer import Scorer


class ModelFileError(RuntimeError):
    """The file does not hold a scorer (not a pickle of one, or unreadable)."""


def load_scorer_file(path: Path | str) -> Scorer:
    """The scorer pickled at ``path``, checked against the running code.

    Raises :class:`ModelFileError` when the file holds no scorer, and
    :class:`~mizugiwa.models.scorer.FeatureMismatchError` when it was trained on other
    indicators or other feature code than runs now (the message says to retrain).
    Only files Mizugiwa wrote are read (the registry's artifacts and the service's own cache).
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            scorer = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ModelFileError(f"{path.name}: not a readable scorer ({exc})") from exc
    if not isinstance(scorer, Scorer):
        raise ModelFileError(f"{path.name} is not a Scorer")
    scorer.check_features()
    return scorer
