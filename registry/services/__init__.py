"""The register's exchange with the agencies' personnel systems, one module per concern.

- ``exchange``: who may exchange an agency's register, and the log of every exchange;
- ``import_jobs``: an import job's upload, column mapping and state moves (queue the
  preview or the commit, re-read, cancel);
- ``preview``: the preview of an import (a background job over a file, or rows sent by
  a system, synchronously): clean, classify and stage every row, never touching the register;
- ``commit``: the commit job, which applies the staged rows in one transaction;
- ``export``: the register as value rows (the API pages over them) or as a file.

The import runs in two background jobs (``registry.tasks``):

1. preview (``preview.import_preview_run``): streams the file, cleans each row
   (``registry.importing``), looks its NIP up in the register one batch at a time,
   classifies it (new, changed, unchanged, invalid with reasons) and stages it in
   ``ImportRow`` (COPY on PostgreSQL, bulk inserts on SQLite); then marks NIPs that
   occur twice, and stages the agency's active employees absent from the file
   ("leaving"). The register is not touched.
2. commit (``commit.import_commit_run``): one transaction applies the staged rows with
   set-based SQL (INSERT ... SELECT, UPDATE ... FROM, the same statements on both
   databases), writes each employee's history, one exchange-log row and one audit
   entry. A failure rolls all of it back.

``preview.import_job_from_rows`` takes rows as dicts of raw values instead of a file: the API
endpoint "register batch upsert" calls it, then ``import_jobs.import_job_commit``; the export
endpoint pages over ``export.register_export_values`` and shapes each row with
``export.register_export_row``, as the files do; ``exchange.exchange_log_record`` takes its
partner label.

Callers import each function from its module; this package re-exports nothing.
"""
