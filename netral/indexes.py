"""An index that carries non-key columns where the database can (PostgreSQL's INCLUDE).

Django's ``Index(include=...)`` already leaves the columns out on SQLite, which has no covering
indexes, but its model check then warns (models.W040) at every ``migrate`` and ``runserver`` of a
development installation: a newcomer's first ``make run`` would print a warning about an index
that is right on both databases. ``CoveringIndex(covering=...)`` is the same index, named for what
it is: on PostgreSQL it INCLUDEs the columns, on SQLite it is the plain index of its fields. The
covered fields are checked against the model when the index is created (an unknown one raises
FieldDoesNotExist, as a wrong ``include`` would).
"""

from django.db import models


class CoveringIndex(models.Index):
    def __init__(self, *expressions, covering=(), **kwargs):
        if kwargs.get("include"):
            raise ValueError("CoveringIndex takes its non-key columns as covering=, not include=")
        super().__init__(*expressions, **kwargs)
        if not covering:
            raise ValueError("A CoveringIndex needs the fields it covers (covering=)")
        self.covering = tuple(covering)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        covering = [model._meta.get_field(name) for name in self.covering]  # FieldDoesNotExist when misspelt
        if not schema_editor.connection.features.supports_covering_indexes:
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        index = models.Index(*self.expressions, fields=self.fields, name=self.name, db_tablespace=self.db_tablespace,
                             opclasses=self.opclasses, condition=self.condition,
                             include=[field.name for field in covering])
        return index.create_sql(model, schema_editor, using=using, **kwargs)

    def deconstruct(self):
        path, expressions, kwargs = super().deconstruct()
        kwargs["covering"] = self.covering
        return path, expressions, kwargs
