"""Built-in format adapters, one module each.

Each module defines one :class:`gxparse.FormatAdapter` subclass and is
registered through the ``gxparse.formats`` entry-point group (see
``pyproject.toml``), the same way a third-party adapter is. Modules import
their heavy dependencies (lxml, pdfplumber) inside ``extract`` only.
"""
