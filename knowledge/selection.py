"""Selection: the top k passages of a score vector, ties broken deterministically.

Only passages that can reach the top ``limit`` are ranked exactly, in Python,
on rounded values so that float noise never decides between two: score, then
coverage, then the notice's own order.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Scores this close are ties (float noise of the vector sums).
TIE = 1e-5
# Decimals kept when ranking exactly.
ROUND = 6
# At most this many times `limit` tied candidates are sorted exactly.
TIES_FACTOR = 4


def top_k(
    score: npt.NDArray[np.float64],
    coverage: npt.NDArray[np.float64],
    order: npt.NDArray[np.int64],
    limit: int,
) -> list[tuple[float, float, int]]:
    """(score, coverage, index) of the best `limit` entries, best first."""
    size = score.size
    if size > limit:
        kth = np.partition(score, size - limit)[size - limit]
        near = np.flatnonzero(score >= kth - TIE)
        if near.size > TIES_FACTOR * limit:
            # Many ties: keep the first by the exact sort's own keys.
            keys = (order[near], -np.round(coverage[near], ROUND), -np.round(score[near], ROUND))
            near = near[np.lexsort(keys)][: TIES_FACTOR * limit]
    else:
        near = np.arange(size)
    ranked = [
        (round(float(score[i]), ROUND), round(float(coverage[i]), ROUND), int(i))
        for i in near.tolist()
    ]
    ranked.sort(key=lambda r: (-r[0], -r[1], int(order[r[2]])))
    return ranked[:limit]
