"""Build of the compiled hot path, ``stance._native._kernels`` (everything else is in pyproject.toml).

``pip install .`` compiles ``stance/_native/_kernels.pyx`` with Cython and the machine's C++ compiler
(pip fetches Cython and NumPy for the build, see ``[build-system]``). If the extension cannot be built,
the package still works: ``stance._native`` falls back to its pure-Python reference, with the same results.
Developers: ``python setup.py build_ext --inplace``.
"""

import os

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

ext = Extension(
    "stance._native._kernels",
    ["stance/_native/_kernels.pyx"],  # and the *.pxi files it includes
    include_dirs=[np.get_include()],
    language="c++",
    # no FMA contraction, no fast math: the TF-IDF arithmetic must round exactly as NumPy's does
    extra_compile_args=["-O3", "-g0", "-ffp-contract=off", "-fno-fast-math"],  # -g0: no debug info (2 MB)
    define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    optional=os.environ.get("STANCE_REQUIRE_NATIVE") != "1",  # a failed build falls back to pure Python
)

setup(ext_modules=cythonize([ext], compiler_directives={"language_level": "3"}, annotate=False))
