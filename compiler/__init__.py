"""rpt: compile `.rpt` report sources into Markdown and DOCX with every figure checked."""

__version__ = "0.1.0"
