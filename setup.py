"""The one compiled module: ccinfra/sizing/erlang_kernel.py (Cython pure-Python mode; README design notes).

Everything else about the package is in pyproject.toml. Without Cython or a working C compiler the build
still succeeds, with a warning, and the same file runs as plain Python (same answers, slower;
``erlang_kernel.COMPILED`` says which).
"""

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Compile the kernel where a C compiler works; anywhere else warn and ship the plain-Python file."""

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as err:  # no compiler at all (setuptools' optional= lets FileNotFoundError through)
            self.warn(f"{ext.name} not compiled, it will run as plain Python: {err}")


try:
    from Cython.Build import cythonize
except ImportError:  # pyproject's build requirements bring Cython; a bare setup.py run may not have it
    ext_modules = []
else:
    from setuptools import Extension

    ext_modules = cythonize(
        [Extension("ccinfra.sizing.erlang_kernel", ["ccinfra/sizing/erlang_kernel.py"],
                   extra_compile_args=["-ffp-contract=off"],  # no fused multiply-add: the Python engine's bits
                   extra_link_args=["-s"])],  # no debug symbols: a 1.4 MB module becomes ~0.3 MB
        compiler_directives={"language_level": 3},
        quiet=True,
    )

setup(ext_modules=ext_modules, cmdclass={"build_ext": OptionalBuildExt})
