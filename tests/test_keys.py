"""Pre-shared keys (issue 11 items 6 and 8): the review copy withholds every key so it
cannot be pasted and committed, and a key file or variable that is empty or not UTF-8 says
so. Split from tests/test_issue11_items.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES
from test_scenarios import ipsec_plan, render_text

from vra_config.pipeline import check_file, render_checked
from vra_config.plan.findings import PlanError

IPSEC = SAMPLES / "private-ipsec.yaml"


def _key_errors(tmp: Path, content: bytes | None, environ: dict[str, str]) -> list[str]:
    psk: dict[str, str] = {"env": "VRA_PSK_DC_EAST"}
    if content is not None:
        (tmp / "key.txt").write_bytes(content)
        psk = {"file": "key.txt"}
    with pytest.raises(PlanError) as info:
        render_text(
            ipsec_plan(psk=psk),
            show_secrets=True,
            environ={"VRA_PSK_BRANCH_01": "x" * 20, **environ},
        )
    return [f.format() for f in info.value.errors]


@pytest.mark.parametrize(
    ("content", "environ", "message"),
    [
        (b"", {}, "the key file key.txt is empty; put the pre-shared key in it"),
        (b"\n", {}, "the key file key.txt is empty; put the pre-shared key in it"),
        (
            b"\xff\xfek\x00e\x00y\x00",
            {},
            "the key file key.txt is not UTF-8 text (byte 0xff at offset 0); save the key as "
            "UTF-8 text",
        ),
        (
            None,
            {"VRA_PSK_DC_EAST": ""},
            "environment variable VRA_PSK_DC_EAST is empty; export the pre-shared key in it",
        ),
    ],
    ids=["empty", "only-a-newline", "utf-16", "empty-variable"],
)
def test_a_key_that_is_empty_or_not_text_says_so(
    content: bytes | None,
    environ: dict[str, str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _key_errors(tmp_path, content, environ) == [
        f"plan.yaml:15:5: VRC606 connections.vpn-dc-east.psk: {message}"
    ]


@pytest.mark.parametrize(
    ("vendor", "key_leaf"),
    [("vyatta", " authentication pre-shared-secret "), ("vsrx", " pre-shared-key ascii-text ")],
)
def test_review_output_withholds_keys_so_it_cannot_commit(vendor: str, key_leaf: str) -> None:
    """The review copy prints no key line, only a comment where it would be: both vendors
    refuse to commit a peer without a key (DANOS `authentication mode` commit check: "No
    'pre-shared-secret' specified for peer"; Junos IKE policy `junos:must`: "IKE policy must
    have either local certificate or pre-shared key configured"), so a pasted review copy
    fails at commit instead of bringing up a tunnel keyed with a string published in the
    repository, and every line it prints is valid."""
    files = render_checked(check_file(IPSEC), vendor)
    lines = [line for text in files.values() for line in text.splitlines()]
    assert not [line for line in lines if key_leaf in line]
    withheld = [line for line in lines if "is withheld (--show-secrets)" in line]
    assert withheld == [
        "# REVIEW COPY: the pre-shared key of vpn-dc-east is withheld (--show-secrets)",
        "# REVIEW COPY: the pre-shared key of vpn-branch-01 is withheld (--show-secrets)",
        "# REVIEW COPY: the pre-shared key of vpn-dc-east is withheld (--show-secrets)",
    ]
    assert not any("REDACTED" in line for line in lines)
    for text in files.values():
        assert "# REVIEW COPY: pre-shared keys are withheld on purpose" in text
