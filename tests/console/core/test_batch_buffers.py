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
