"""Names Django, django-ninja and Pydantic call by name, which vulture cannot see being used.

Read by ``scripts/check_dead_code.py`` (as a file vulture scans alongside the code). Each entry is
a name a framework looks up by itself; keep it to those, and say which framework. Routes, admin
classes, job handlers and template tags are left out here: their decorators register them (see
``ignore_decorators`` in pyproject.toml).
"""

# ruff: noqa: B018, F821

# Django model and form internals.
_.Meta  # the options class of models, forms and ninja ModelSchemas
_.from_db_value  # a field's converter from the database value
_.label_from_instance  # a model choice field's label for each choice
_.clean_households  # a form's clean_<field> hooks, called by the form's full_clean
_.clean_members

# Django management commands: the class manage.py looks up and its argument hook.
_.Command
_.add_arguments

# Django admin hooks (called by the admin site on the registered ModelAdmin).
_.has_module_permission
_.has_view_permission
_.has_add_permission
_.has_change_permission
_.has_delete_permission
_.get_readonly_fields
_.get_fields
_.get_search_results
_.save_model

# django-ninja authentication classes (the API calls authenticate on each request).
_.authenticate

# The module-level __getattr__ (PEP 562), looked up by the import system.
_.__getattr__

# The WSGI and ASGI callables, named by gunicorn and settings.WSGI_APPLICATION.
_.application

# Logging's filter and formatter classes, named by dotted path in settings.LOGGING.
_.RequestIdFilter
_.JsonFormatter

# prometheus-client asks each registered collector for its metrics at every scrape.
_.collect

# Template context processors, named by dotted path in settings.TEMPLATES.
_.wall_screen
# The database router, named by dotted path in settings.DATABASE_ROUTERS; Django calls its
# methods by name.
_.ReplicaRouter
_.db_for_read
_.db_for_write
_.allow_relation
_.allow_migrate
# The subsidies' exact integer batch of two clauses: bench/subsidies.py runs it against OpenFisca
# (the tests hold it equal to the per-enterprise rules).
_.recruitment_fen
_.transport_fen
# The registers' migrations (which the dead-code check does not read) partition a table by month
# on PostgreSQL and undo it.
_.partition_table
_.unpartition_table
# The forms' renderer, named by dotted path in settings.FORM_RENDERER.
_.FormRenderer
