"""No plan text can escape its string in the IBM-side targets: HCL and shell quoting.

Properties over arbitrary text (Hypothesis): the HCL literal stays on one line and decodes
(by the HCL spec's escapes, `hcl_literal.decode`) to the text itself, with no interpolation
or directive, and python-hcl2 parses it as one attribute; Terraform reads a seeded batch
back exactly; the shell word reads back, through a real POSIX shell, as one argument.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
from hcl_literal import decode
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.targets.ibm.quoting import hcl_string, shell_word

TRICKY = st.sampled_from(['"', "\\", "${", "%{", "$${", "%%{", "}", "\n", "\r", "\t", "$", "%"])
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_hcl_string_is_one_literal_of_exactly_the_text(text: str) -> None:
    literal = hcl_string(text)
    assert "\n" not in literal and "\r" not in literal
    assert decode(literal) == text
    if "{" not in text:  # python-hcl2 cannot lex an escaped `$${` that no `}` closes
        parsed = hcl2.loads(f"x = {literal}\n")
        assert parsed == {"x": literal}


def test_hcl_string_examples() -> None:
    assert hcl_string('cost ${var.x} and %{if} "q" \\') == (
        '"cost $${var.x} and %%{if} \\"q\\" \\\\"'
    )


@settings(max_examples=50, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="\x00\n\r", blacklist_categories=("Cs",)),
        max_size=20,
    )
)
def test_shell_word_is_one_argument(text: str) -> None:
    out = subprocess.run(
        ["sh", "-c", f"printf '%s' {shell_word(text)}"], capture_output=True, text=True
    )
    assert out.stdout == text


TERRAFORM = shutil.which("terraform")


@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")
def test_terraform_reads_back_exactly_the_text(tmp_path: Path) -> None:
    """Terraform itself is the oracle (python-hcl2 cannot lex `$${` without a closing brace,
    which HCL allows): 400 strings of the characters that matter, seeded so the test is
    stable, read back through `terraform output -json`."""
    rng = random.Random(14)
    alphabet = ['"', "\\", "${", "%{", "$${", "%%{", "}", "{", "\n", "\t", "$", "%", "a", " "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(400)]
    body = ",\n".join(f"    {hcl_string(t)}" for t in texts)
    (tmp_path / "main.tf").write_text(f'output "v" {{\n  value = [\n{body}\n  ]\n}}\n')
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        done = subprocess.run(
            [str(TERRAFORM), *args, "-no-color"], cwd=tmp_path, env=env, capture_output=True
        )
        assert done.returncode == 0, done.stderr
    out = subprocess.run(
        [str(TERRAFORM), "output", "-json", "v"], cwd=tmp_path, env=env, capture_output=True
    )
    assert json.loads(out.stdout) == texts
