"""`/api/v1/docs/`: the OpenAPI document as a readable page, rendered on the server.

No JavaScript and nothing fetched from elsewhere: a template iterates over the schema that
drf-spectacular generates for `/api/v1/openapi.json`.
"""

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from api.schema import api_schema, schema_language

METHODS = ("get", "post", "put", "patch", "delete")


def rich_text(text):
    """The little Markdown the descriptions use: `code`, paragraphs and `* ` lists, as HTML."""
    blocks = []
    for block in re.split(r"\n\s*\n", str(text or "").strip()):
        if not block:
            continue
        html = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(block))
        lines = html.splitlines()
        if all(line.lstrip().startswith("* ") for line in lines):
            items = "".join(f"<li>{line.lstrip()[2:]}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(lines)}</p>")
    return mark_safe("".join(blocks))  # noqa: S308 - built from escaped text


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1] if ref else None


def type_label(schema):
    """A short type for the page: `string`, `integer`, `Session[]`, `date-time or null`…"""
    if not schema:
        return ""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for combiner, joiner in (("allOf", " & "), ("oneOf", " | "), ("anyOf", " | ")):
        if combiner in schema:
            return joiner.join(type_label(part) for part in schema[combiner])
    if schema.get("type") == "array":
        return f"{type_label(schema.get('items', {}))}[]"
    label = schema.get("format") or schema.get("type") or "object"
    if schema.get("nullable"):
        label += " or null"
    return label


def _content_schema(container):
    """The schema of the first media type of a request body or a response."""
    content = (container or {}).get("content") or {}
    return next(iter(content.values()), {}).get("schema")


def _anchor(method, path):
    return re.sub(r"[^a-z0-9]+", "-", f"{method}{path}".lower()).strip("-")


def _listed_in(description):
    """Does drf-spectacular's description already list the choices (`* `value` - Label`)?"""
    return "* `" in (description or "")


def type_anchor(label, components):
    """The component a type label names (`Session[]` → `Session`), if there is one."""
    name = (label or "").removesuffix("[]")
    return name if name in components else None


def _parameter(parameter, components):
    schema = parameter.get("schema", {})
    values = schema.get("items", schema)  # a repeatable parameter's values are its items
    enum = values.get("enum") or components.get(_ref_name(values.get("$ref")), {}).get("enum")
    if _listed_in(parameter.get("description")):
        enum = None
    return {
        "name": parameter["name"],
        "location": parameter["in"],
        "required": parameter.get("required", False),
        "type": type_label(schema),
        "enum": enum,
        "description": rich_text(parameter.get("description", "")),
    }


def _operation(path, method, operation, components):
    body = _content_schema(operation.get("requestBody"))
    return {
        "anchor": _anchor(method, path),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": rich_text(operation.get("description", "")),
        "tags": operation.get("tags", []),
        # Public operations accept a token ({"tokenAuth": []} or {}); others require it.
        "secured": bool(operation.get("security")) and {} not in operation["security"],
        "parameters": [_parameter(p, components) for p in operation.get("parameters", [])],
        "body": type_label(body) if body else "",
        "body_anchor": type_anchor(type_label(body), components) if body else None,
        "responses": [
            {
                "code": code,
                "description": rich_text(response.get("description", "")),
                "type": type_label(_content_schema(response)),
                "anchor": type_anchor(type_label(_content_schema(response)), components),
            }
            for code, response in operation.get("responses", {}).items()
        ],
    }


def _type(name, component, components):
    required = component.get("required", [])
    return {
        "name": name,
        "description": rich_text(component.get("description", "")),
        "enum": None if _listed_in(component.get("description")) else component.get("enum"),
        "properties": [
            {
                "name": prop_name,
                "type": type_label(prop),
                "anchor": type_anchor(type_label(prop), components),
                "required": prop_name in required,
                "description": rich_text(prop.get("description", "")),
            }
            for prop_name, prop in component.get("properties", {}).items()
        ],
    }


def docs_context(schema):
    """The schema flattened for the template: operations in order, then the data types."""
    components = schema.get("components", {}).get("schemas", {})
    operations = [
        _operation(path, method, operation, components)
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
        if method in METHODS
    ]
    info = dict(schema.get("info", {}))
    info["description"] = rich_text(info.get("description", ""))
    return {
        "info": info,
        "operations": operations,
        "types": [_type(name, component, components) for name, component in components.items()],
    }


@csrf_exempt  # any method gets an answer from this view, not from the CSRF check
def docs(request):
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse(
            {"detail": f'Method "{request.method}" not allowed.'[:100]}, status=405
        )
        response["Allow"] = "GET, HEAD"
        return response
    with translation.override(schema_language(request)):
        context = docs_context(api_schema(request))
        return render(request, "api/docs.html", context)
