"""rpt: compile `.rpt` report sources into Markdown and DOCX with every figure checked."""
