"""A network history survives pickling and copying with the same counts and key ids."""

from __future__ import annotations

import copy
import pickle

import numpy as np

from mizugiwa.features.network import NetworkHistory


def test_a_pickled_history_counts_and_grows_like_the_original() -> None:
    history = NetworkHistory()
    keys = np.array(["+63900", "+63901", "+63900"], dtype=object)
    posts = np.array(["MNL", "CEB", "CEB"], dtype=object)
    history.append("phone", keys, posts, np.array([10, 20, 30]))
    ask = (["+63900", "+63901", "+63902"], np.array([40, 40, 40]))
    expected = history.count_before("phone", *ask, other_than=["MNL", "MNL", "MNL"])
    assert expected.tolist() == [1, 1, 0]
    for other in (pickle.loads(pickle.dumps(history)), copy.deepcopy(history)):
        assert other.count_before("phone", *ask, other_than=["MNL"] * 3).tolist() == [1, 1, 0]
        other.append("phone", np.array(["+63902"], dtype=object), posts[:1], np.array([35]))
        assert other.count_before("phone", *ask).tolist() == [2, 1, 1]
    assert history.count_before("phone", *ask).tolist() == [2, 1, 0]  # the original unchanged
