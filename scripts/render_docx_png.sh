#!/usr/bin/env bash
# Look at a report's DOCX as a reader would: build it, print it to PDF with
# LibreOffice, cut the PDF into PNG pages.
#
#   scripts/render_docx_png.sh [REPORT.rpt] [OUTDIR] [rpt build options…]
#   scripts/render_docx_png.sh reports/huaihua-2023/report.rpt build/preview --style a4-plain
#
# Writes OUTDIR/report.docx, OUTDIR/report.pdf and OUTDIR/page-N.png (75 dpi).
# Needs soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils) and
# fonts-noto-cjk; fonts-arphic-ukai if installed.
#
# The GB/T 9704 fonts (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, 宋体) are not
# free, so the file names them and this script maps them to free look-alikes,
# so that the pages show which face each style asks for: 黑体 → Noto Sans CJK SC,
# 楷体 → AR PL UKai CN (when installed), the others → Noto Serif CJK SC. The
# shapes differ from the real fonts; the sizes, lines and layout do not.
#
# Known artefact of the preview, not of the file: LibreOffice 7.4 with Noto CJK
# (an OpenType CJK font) drops a full-width mark (：，) that ends a justified line;
# with a TrueType face such as AR PL UKai, or in Word, the mark is there.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
report=${1:-$here/reports/huaihua-2023/report.rpt}
out=${2:-$here/build/preview}
shift $(( $# < 2 ? $# : 2 ))
rpt=${RPT:-$here/.venv/bin/rpt}
[ -x "$rpt" ] || rpt=$(command -v rpt)

mkdir -p "$out"
out=$(cd "$out" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cat >"$scratch/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>AR PL UKai CN</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
CONF

"$rpt" build "$report" --to docx -o "$out/report.docx" "$@"
rm -f "$out"/page-*.png
FONTCONFIG_FILE="$scratch/fonts.conf" soffice --headless \
  "-env:UserInstallation=file://$scratch/profile" \
  --convert-to pdf --outdir "$out" "$out/report.docx" >/dev/null
pdftoppm -r 75 -png "$out/report.pdf" "$out/page"
echo "$(ls "$out"/page-*.png | wc -l) pages in $out"
