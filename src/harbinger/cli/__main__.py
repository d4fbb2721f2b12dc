"""``python -m harbinger.cli``: the same as the ``harbinger`` console script."""

from harbinger.cli import main

main()
