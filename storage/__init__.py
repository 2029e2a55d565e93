"""Every stored file's ground floor (shared/DESIGN.md): preparing a file, importing no app.

``storage.prepare``: the type from the content, metadata stripped (photos re-encoded, PDF
metadata dropped), videos checked as whole containers, the SHA-256. Reports, cases, follow-up,
prevention and agreements prepare their uploads here.
"""
