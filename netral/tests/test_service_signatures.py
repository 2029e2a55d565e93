"""Services take keyword-only arguments and a typed actor (shared/STYLE.md), so the rule stays."""

import importlib
import inspect
import pkgutil

from accounts.models import User

# The apps whose services modules follow the rule: ``<app>/services.py``, or every module of
# an ``<app>/services/`` package (registry's).
APPS = ("exports", "registry", "cases", "reports", "followup", "prevention", "agreements")
ACTOR_TYPES = {"User", "User | None", User}


def service_modules() -> list:
    modules = []
    for app in APPS:
        module = importlib.import_module(f"{app}.services")
        modules.append(module)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            modules.append(importlib.import_module(f"{module.__name__}.{info.name}"))
    return modules


def public_functions(module) -> dict:
    """The module's own public functions (not those it imports)."""
    return {f"{module.__name__}.{name}": function for name, function in vars(module).items()
            if inspect.isfunction(function) and not name.startswith("_") and function.__module__ == module.__name__}


def positional_parameters(function) -> list[str]:
    return [name for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD, parameter.VAR_POSITIONAL)]


def untyped_actor(function) -> bool:
    actor = inspect.signature(function).parameters.get("actor")
    if actor is None:
        return False
    annotation = actor.annotation
    if isinstance(annotation, str):  # "User", or "'User'" under ``from __future__ import annotations``
        annotation = annotation.strip("'\"")
    return annotation not in ACTOR_TYPES


def all_service_functions() -> dict:
    functions = {}
    for module in service_modules():
        functions.update(public_functions(module))
    return functions


def test_the_checks_see_a_positional_parameter_and_an_untyped_actor():
    def positional(case, *, actor: "User"): ...

    def keyword_only(*, case, actor: "User | None" = None): ...

    def untyped(*, case, actor): ...

    def other(*, case, actor: int): ...

    assert positional_parameters(positional) == ["case"]
    assert positional_parameters(keyword_only) == [] and not untyped_actor(keyword_only)
    assert untyped_actor(untyped) and untyped_actor(other)


def test_every_public_service_function_takes_keyword_only_arguments():
    functions = all_service_functions()
    assert len(functions) > 60  # the registry package's modules and the six services modules are all read
    assert {name: params for name, function in functions.items() if (params := positional_parameters(function))} == {}


def test_every_service_that_takes_an_actor_types_it_as_a_user():
    functions = all_service_functions()
    assert sum(1 for function in functions.values() if "actor" in inspect.signature(function).parameters) > 40
    assert [name for name, function in functions.items() if untyped_actor(function)] == []
