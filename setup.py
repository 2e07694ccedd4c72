"""Packaging.  The import packages are ``autograd`` (the engine) and ``nn`` (networks); the
distribution is called ``teachgrad`` because ``autograd`` on PyPI is another project."""

from setuptools import find_packages, setup

setup(
    name="teachgrad",
    version="0.1.0",
    description="A teaching autograd engine: scalar Values and numpy Tensors, backprop you can "
    "step through and draw, and the nn of the lectures on top.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["autograd", "autograd.*", "nn", "nn.*", "demos", "demos.*"]),
    install_requires=["numpy>=1.24"],
    extras_require={
        "viz": ["graphviz>=0.20", "graphviz-pure>=0.2"],
        "demos": ["matplotlib>=3.7", "tqdm>=4.60", "scikit-learn>=1.2"],
        "dev": ["pytest>=7.4", "hypothesis>=6.80", "ruff>=0.5",
                # benchmarks/: the peer library, and BLAS pinned to one thread
                "micrograd==0.1.0", "threadpoolctl>=3.1",
                # the notebooks are executed by the tests, in a kernel running this Python
                "nbclient>=0.8", "nbformat>=5.7", "ipykernel>=6.20",
                # drives Debian's chromium (via /usr/bin/chromedriver) in the walkthrough test
                "selenium>=4.10"],
    },
    license="MIT",
)
