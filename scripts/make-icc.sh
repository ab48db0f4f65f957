#!/usr/bin/env bash
# Build the CMYK output profile of the print files (styles/colour/FOGRA39-booklet.icc) once,
# from free characterisation data; the result is committed, so builds never run this.
#
#   FOGRA39L.ti3  Debian icc-profiles-free (/usr/share/color/icc/), zlib licence:
#                 Fogra's FOGRA39 measurements (offset, coated paper, ISO 12647-2:2004/Amd 1)
#                 as packed by Kai-Uwe Behrmann.
#   colprof       Debian argyll (ArgyllCMS): fits an ICC profile to the measurements.
#                 The program is AGPL; the profile it writes is data computed from the
#                 zlib-licensed measurements and carries none of the program.
#
# Options: -qm medium quality tables (-ql gives a coarser 54 KB profile), -nc leaves the
# measurements out of the profile, -kr a ramp of black (ArgyllCMS's default), -l330 the
# total ink limit of FOGRA39 (330 %), -S sRGB.icc gamut-maps the perceptual and saturation
# tables from sRGB (what screen colours and photographs are in), so photographs converted
# with the profile keep their detail in the dark and saturated colours.
# Usage: scripts/make-icc.sh   (needs: apt-get install argyll icc-profiles-free)
set -euo pipefail
cd "$(dirname "$0")/.."
out=styles/colour/FOGRA39-booklet.icc
data=/usr/share/color/icc/FOGRA39L.ti3
srgb=/usr/share/color/icc/sRGB.icc  # also from icc-profiles-free (zlib)
for f in "$data" "$srgb"; do
  [ -f "$f" ] || { echo "$f is missing: apt-get install icc-profiles-free" >&2; exit 1; }
done
command -v colprof >/dev/null || { echo "colprof is missing: apt-get install argyll" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
(
  cd "$work"
  colprof -qm -nc -kr -l330 -S "$srgb" -cmt -dpp \
    -A "Fogra (measurements); ArgyllCMS colprof (fit)" \
    -M "FOGRA39" \
    -D "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), fitted by ArgyllCMS from FOGRA39L.ti3" \
    -C "Measurements: Fogra, packed by Kai-Uwe Behrmann, zlib licence (see styles/colour/LICENSE)" \
    FOGRA39L >/dev/null
)
mkdir -p "$(dirname "$out")"
cp "$work/FOGRA39L.icc" "$out"
sha256sum "$out"
