"""The decoder's mnemonic list (core/formats/x86_mnemonics.h) is generated from the opcode tables by
tools/gen_x86_mnemonics.py: it must be up to date, or a mnemonic added to a table would print as
another name."""
import os
import subprocess

from pmmtest import ROOT, run_tests, test


@test
def mnemonic_list_is_current():
    subprocess.run(["python3", os.path.join(ROOT, "tools", "gen_x86_mnemonics.py"), "--check"], check=True, cwd=ROOT)


if __name__ == "__main__":
    run_tests()
