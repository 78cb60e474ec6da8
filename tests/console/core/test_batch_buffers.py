"""BatchBuffers: views of reused buffers, grown geometrically, never shrunk, dtype fixed."""

import numpy as np
import pytest

from console.core.batch_buffers import BatchBuffers


def test_views_reuse_one_buffer_until_a_larger_one_is_needed() -> None:
    w = BatchBuffers()
    a = w.take("x", 100, np.float64)
    a[:] = 1.0
    b = w.take("x", 60, np.float64)
    assert len(b) == 60 and np.shares_memory(a, b) and w.grown == 1
    c = w.take("x", 120, np.float64)  # grows by half at least: 150 elements
    assert len(c) == 120 and not np.shares_memory(a, c) and w.grown == 2
    d = w.take("x", 150, np.float64)
    assert np.shares_memory(c, d) and w.grown == 2 and w.nbytes == 150 * 8
    assert w.take("y", 10, np.bool_).dtype == np.bool_ and w.grown == 3


def test_a_name_keeps_its_dtype() -> None:
    w = BatchBuffers()
    w.take("x", 10, np.int64)
    with pytest.raises(TypeError, match="'x' holds int64, asked for"):
        w.take("x", 5, np.float64)


def test_a_buffer_far_larger_than_the_recent_batches_is_cut_back() -> None:
    """The start-up's all-stations batch must not pin its buffers for the whole shift."""
    w = BatchBuffers(shrink_after=10)
    w.take("x", 1000, np.float64)  # the big first batch
    for _ in range(8):
        w.take("x", 100, np.float64)
    assert w.nbytes == 1000 * 8  # not yet: the check comes once per 10 takes
    w.take("x", 100, np.float64)
    assert w.nbytes == 1000 * 8  # the big batch was among these 10 takes
    for _ in range(10):
        v = w.take("x", 100, np.float64)
    assert len(v) == 100 and w.nbytes == 150 * 8  # cut back to 1.5 x the recent largest
    for _ in range(30):  # steady batches: no more reallocation
        w.take("x", 120, np.float64)
    assert w.nbytes == 150 * 8 and w.grown == 2
