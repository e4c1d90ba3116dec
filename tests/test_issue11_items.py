"""Issue 11, items 4-8: each test here failed before its fix.

4. an allocation equal to its pool is no overlap;
5. a locked allocation outside every pool is a warning naming the lock line and the pools;
6. review output (keys redacted) cannot be pasted and committed;
7. a broken --templates override is reported like a plan error, without a traceback;
8. key files that are empty or not UTF-8 say so.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_planner import base_plan, cc, planned, tgw

# --- 4. an allocation equal to its pool ----------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "link"),
    [("172.16.0.0/29", cc()), ("172.16.0.0/30", tgw())],
    ids=["cloud-connection-/29", "transit-gateway-/30"],
)
def test_a_pool_exactly_the_size_of_its_one_allocation_is_no_overlap(
    pool: str, link: dict[str, Any]
) -> None:
    data = base_plan(a=link)
    data["pools"] = {"tunnels": [pool]}
    ap = planned(data)
    assert [f.format() for f in ap.findings] == []
    assert str(ap.connections["a"].subnet) == pool
