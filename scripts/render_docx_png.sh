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
# The PDF is rpt's own (`--to pdf`, compiler/render/pdf.py), which maps the GB/T
# 9704 fonts, not free, to free faces of the same families; the shapes differ
# from the real fonts, the sizes, lines and layout do not.
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
"$rpt" build "$report" --to docx,pdf -o "$out/report.docx" "$@"
rm -f "$out"/page-*.png
pdftoppm -r 75 -png "$out/report.pdf" "$out/page"
echo "$(ls "$out"/page-*.png | wc -l) pages in $out"
