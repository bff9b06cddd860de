"""The runnable examples in the library's docstrings are tests too."""

import doctest
import importlib
import pkgutil

import pytest

import ccinfra

SKIP = ("ccinfra.cli", "ccinfra.lab.__main__")


def modules():
    for info in pkgutil.walk_packages(ccinfra.__path__, "ccinfra."):
        if not info.name.startswith(SKIP):
            yield info.name


@pytest.mark.parametrize("name", sorted(modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

