# shellcheck shell=bash
# Sourced by the tools that run the 64-bit build under Wine (run.sh, bench.sh): installs what is
# missing, builds win64 (warnings reported, not fatal), sets up Wine and points BIN at the build.
# Leaves ROOT (the repository, also the current folder), PMM_BUILD, WINE64 and BIN set.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PMM_BUILD="${PMM_BUILD:-$ROOT/build}"
cd "$ROOT" || exit 1
bash tools/install-deps.sh
PMM_WERROR=OFF bash tools/build.sh win64
# shellcheck source=tools/wine-env.sh
source tools/wine-env.sh
# shellcheck disable=SC2034  # read by the script that sourced this one
BIN="$PMM_BUILD/win64"
