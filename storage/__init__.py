"""Every stored file's ground floor (shared/DESIGN.md), importing no app.

- ``storage.prepare``: the type from the content, metadata stripped (photos re-encoded, PDF
  metadata dropped), videos checked as whole containers, the SHA-256;
- ``storage.files``: writing a file so that it follows the database transaction (a rollback
  deletes it), deleting one once a change commits, a full disk as ``StorageFull``;
- ``storage.kinds``: the declared list of every kind of stored file, read by backups, the
  restore, the integrity check and the orphan purge (``storage.cleanup``);
- ``storage.staging``: files kept for a form's next try, within quotas that hold under
  concurrent uploads.
"""
