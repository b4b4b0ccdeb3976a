"""Wagtail's database search backend on PostgreSQL, with each object indexed in its language.

Wagtail's backend (django-modelsearch) indexes everything with one text search configuration
(`SEARCH_CONFIG`). Here each object is indexed with the configuration of its locale's language
(`LANGUAGE_CONFIGS`: French, Arabic and English stemming, created by `search/migrations`), so a
translated course is stemmed as its own language; objects without a locale (skills,
institutes' snippets) use `SEARCH_CONFIG`. A query is matched in every configuration at once,
since a reader may type in any language and find a course in another.

Indexed text and queries both go through `jazari.search.normalise_arabic`, so Arabic written
with or without hamzas, harakat or tatweel finds the same words; the plain text kept for
trigram similarity (`Fuzzy` queries, the site search's "did you mean") is normalised too.

Settings (`WAGTAILSEARCH_BACKENDS["default"]`): `BACKEND: "jazari.search_backends"`,
`SEARCH_CONFIG`, `LANGUAGE_CONFIGS` (language code → configuration), `AUTOCOMPLETE_CONFIG`.
"""

from functools import reduce
from operator import or_

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres
from modelsearch.utils import get_content_type_pk
from wagtail.models import Locale

from jazari.search import normalise_arabic

# Locale id → language code, read again when an unknown locale turns up.
_locale_languages: dict[int, str] = {}


def locale_language(locale_id):
    if locale_id is None:
        return None
    if locale_id not in _locale_languages:
        _locale_languages.clear()
        _locale_languages.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_languages.get(locale_id)


def normalise_query(query):
    """A query (text, or a query object with `query_string`) with its Arabic normalised."""
    if isinstance(query, str):
        return normalise_arabic(query)
    if isinstance(getattr(query, "query_string", None), str):
        query.query_string = normalise_arabic(query.query_string)
    return query


class LanguageObjectIndexer(postgres.ObjectIndexer):
    """The index entry of one object: its text normalised, in its language's configuration."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.config = backend.config_for(obj)

    def prepare_value(self, value):
        return normalise_arabic(super().prepare_value(value))


class LanguageIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        """Django-modelsearch's `PostgresIndex.add_items`, with `LanguageObjectIndexer`."""
        if not model.get_search_fields():
            return
        indexers = [LanguageObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return

        IndexEntry = postgres.IndexEntry
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")

        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
                params,
            )
        self._refresh_title_norms()


class AnyLanguageQueryCompiler(postgres.PostgresSearchQueryCompiler):
    """Whole words matched in every language's configuration (a tuple of configurations)."""

    def get_config(self, backend):
        return backend.query_configs

    def build_tsquery(self, query, config=None):
        configs = config if isinstance(config, tuple) else (config,)
        queries = [super(AnyLanguageQueryCompiler, self).build_tsquery(query, c) for c in configs]
        if any(q is None for q in queries):
            return None
        return reduce(or_, queries)


class LanguageSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = AnyLanguageQueryCompiler
    index_class = LanguageIndex
    supports_fuzzy = True

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS", {}))
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", self.autocomplete_config)
        self.query_configs = tuple(dict.fromkeys([self.config, *self.language_configs.values()]))

    def config_for(self, obj):
        """The configuration of `obj`'s language (its locale's), else `SEARCH_CONFIG`."""
        language = locale_language(getattr(obj, "locale_id", None))
        return self.language_configs.get(language, self.config)

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(
            query_compiler_class, normalise_query(query), model_or_queryset, **kwargs
        )


SearchBackend = LanguageSearchBackend
